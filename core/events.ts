type AnyFn = (...args: never[]) => void;

/**
 * Minimal typed emitter. Every listener call is isolated: an exception goes to `onListenerError` (default: the
 * console) and neither the emitting code nor the other listeners notice.
 */
export class Emitter<M extends Record<keyof M, AnyFn>> {
  private readonly listeners = new Map<keyof M, Set<AnyFn>>();

  constructor(private readonly onListenerError: (event: string, error: unknown) => void = logListenerError) {}

  on<K extends keyof M>(event: K, listener: M[K]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off<K extends keyof M>(event: K, listener: M[K]): void {
    this.listeners.get(event)?.delete(listener);
  }

  once<K extends keyof M>(event: K, listener: M[K]): void {
    const wrapper = ((...args: Parameters<M[K]>) => {
      this.off(event, wrapper);
      (listener as (...a: Parameters<M[K]>) => void)(...args);
    }) as unknown as M[K];
    this.on(event, wrapper);
  }

  /** Number of listeners for `event` (lets callers skip building costly payloads). */
  listenerCount(event: keyof M): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  emit<K extends keyof M>(event: K, ...args: Parameters<M[K]>): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (...a: Parameters<M[K]>) => void)(...args);
      } catch (error) {
        this.onListenerError(String(event), error);
      }
    }
  }

  removeAll(): void {
    this.listeners.clear();
  }
}

function logListenerError(event: string, error: unknown): void {
  console.error(`swarmcast: listener for "${event}" threw`, error);
}
