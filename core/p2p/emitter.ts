/** Minimal typed event emitter. A throwing listener must not break the P2P layer, so errors are reported, not propagated. */
export class Emitter<M extends { [K in keyof M]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof M, Set<M[keyof M]>>();

  on<K extends keyof M>(event: K, listener: M[K]): void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
  }

  off<K extends keyof M>(event: K, listener: M[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as (...a: Parameters<M[K]>) => void)(...args);
      } catch (e) {
        setTimeout(() => {
          throw e;
        });
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
