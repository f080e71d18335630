/**
 * Virtual time: a binary min-heap of callbacks keyed by (time, insertion order). Ties run in insertion order, so
 * a run never depends on heap internals and the same seed gives the same result.
 */
interface Entry {
  atMs: number;
  seq: number;
  run: (() => void) | undefined;
}

/** A scheduled callback; `cancel` it to skip it. */
export interface EventHandle {
  cancel(): void;
}

/** Everything the engine queued as microtasks (promise continuations included) runs before the next event. */
const drainMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class EventQueue {
  nowMs = 0;
  processed = 0;
  /** Called after each event, once the microtasks it queued have run. */
  afterEvent: (() => void) | undefined;
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Runs `run` at `atMs` (never in the past). */
  at(atMs: number, run: () => void): EventHandle {
    const e: Entry = { atMs: Math.max(atMs, this.nowMs), seq: this.seq++, run };
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (p.atMs < e.atMs || (p.atMs === e.atMs && p.seq < e.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
    return {
      cancel: () => {
        e.run = undefined;
      },
    };
  }

  after(delayMs: number, run: () => void): EventHandle {
    return this.at(this.nowMs + delayMs, run);
  }

  /**
   * Runs every event up to and including `endMs`; the clock then stands at `endMs`. The engines under test chain
   * promises (a segment request, a storage read): those continuations run at the instant of the event that
   * started them, as in a browser, where microtasks run before the next task.
   */
  async runUntil(endMs: number): Promise<void> {
    const h = this.heap;
    while (h.length > 0 && h[0]!.atMs <= endMs) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length > 0) this.siftDown(last);
      if (!top.run) continue;
      this.nowMs = top.atMs;
      this.processed++;
      top.run();
      await drainMicrotasks();
      this.afterEvent?.();
    }
    this.nowMs = endMs;
  }

  private siftDown(e: Entry): void {
    const h = this.heap;
    const n = h.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && less(h[right]!, h[child]!)) child = right;
      if (!less(h[child]!, e)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = e;
  }
}

const less = (a: Entry, b: Entry): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
