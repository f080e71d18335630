/**
 * Backbone-style events, as JW Player's providers have them (JW mixes `utils/backbone.events` into its own):
 * the player's media controller listens with `provider.on('all', (type, data) => …)`, so `trigger(type, data)`
 * must also reach `all` listeners with the type first.
 */
type Listener = (...args: unknown[]) => void;

export class Emitter {
  private readonly listeners = new Map<string, { fn: Listener; ctx: unknown; once: boolean }[]>();

  on(type: string, fn: Listener, ctx?: unknown): this {
    const list = this.listeners.get(type) ?? [];
    list.push({ fn, ctx, once: false });
    this.listeners.set(type, list);
    return this;
  }

  once(type: string, fn: Listener, ctx?: unknown): this {
    this.on(type, fn, ctx);
    const list = this.listeners.get(type);
    const last = list?.[list.length - 1];
    if (last) last.once = true;
    return this;
  }

  /** `off()` removes everything, `off(type)` a type, `off(type, fn)` one listener, `off(undefined, fn)` fn anywhere. */
  off(type?: string, fn?: Listener): this {
    if (type === undefined && fn === undefined) this.listeners.clear();
    for (const [key, list] of this.listeners) {
      if (type !== undefined && key !== type) continue;
      const kept = fn ? list.filter((l) => l.fn !== fn) : [];
      if (kept.length) this.listeners.set(key, kept);
      else this.listeners.delete(key);
    }
    return this;
  }

  trigger(type: string, data?: unknown): this {
    this.emit(type, [data]);
    if (type !== 'all') this.emit('all', [type, data]);
    return this;
  }

  private emit(type: string, args: unknown[]): void {
    const list = this.listeners.get(type);
    if (!list) return;
    for (const l of [...list]) {
      if (l.once) this.off(type, l.fn);
      l.fn.apply(l.ctx, args);
    }
  }
}
