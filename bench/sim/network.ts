import type { EventQueue } from './event-queue.js';

/** One side's access link. The CDN has no uplink limit: its side is left out (`from` undefined). */
export interface Endpoint {
  upBytesPerSec: number;
  downBytesPerSec: number;
  readonly ups: Set<Flow>;
  readonly downs: Set<Flow>;
}

export function endpoint(upBytesPerSec: number, downBytesPerSec: number): Endpoint {
  return { upBytesPerSec, downBytesPerSec, ups: new Set(), downs: new Set() };
}

/**
 * One transfer of `totalBytes` from `from` (undefined = CDN) to `to`. Bandwidth model: each link is split equally
 * between its transfers, and a transfer runs at the smaller of its two shares (recomputed whenever a transfer
 * starts or ends on either link). Simpler than max-min fairness and slightly pessimistic: capacity a transfer
 * cannot use on one side is not handed to the others.
 */
export class Flow {
  /** Bytes moved so far, fractional between updates. */
  private done = 0;
  rate = 0;
  private lastMs: number;
  private gen = 0;
  ended = false;
  /** Set by the owner: runs once when the flow is stopped or done (bookkeeping on the uploader's side). */
  onEnd: (() => void) | undefined;

  constructor(
    private readonly queue: EventQueue,
    readonly from: Endpoint | undefined,
    readonly to: Endpoint,
    readonly totalBytes: number,
    /** Called when every byte arrived. */
    private readonly onDone: () => void,
    /** Called on every rate change with the whole bytes so far (for throughput meters). */
    private readonly onProgress?: (bytes: number) => void,
  ) {
    this.lastMs = queue.nowMs;
    from?.ups.add(this);
    to.downs.add(this);
    reshare(this);
  }

  /** Whole bytes received so far. */
  bytes(): number {
    if (this.ended) return Math.floor(this.done);
    return Math.min(this.totalBytes, Math.floor(this.done + (this.rate * (this.queue.nowMs - this.lastMs)) / 1000));
  }

  /** Stops the transfer; returns the whole bytes moved (the rest is lost, as when a request is cancelled). */
  stop(): number {
    if (this.ended) return Math.floor(this.done);
    this.advance();
    this.detach();
    return Math.floor(this.done);
  }

  private advance(): void {
    const now = this.queue.nowMs;
    this.done = Math.min(this.totalBytes, this.done + (this.rate * (now - this.lastMs)) / 1000);
    this.lastMs = now;
  }

  private detach(): void {
    this.ended = true;
    this.gen++;
    this.from?.ups.delete(this);
    this.to.downs.delete(this);
    if (this.from) for (const f of this.from.ups) f.setRate();
    for (const f of this.to.downs) f.setRate();
  }

  setRate(): void {
    if (this.ended) return;
    this.advance();
    const down = this.to.downBytesPerSec / this.to.downs.size;
    const up = this.from ? this.from.upBytesPerSec / this.from.ups.size : Infinity;
    const rate = Math.min(down, up);
    if (rate === this.rate && this.gen > 0) return;
    this.rate = rate;
    this.onProgress?.(Math.floor(this.done));
    const gen = ++this.gen;
    if (rate <= 0) return; // stalled until a share opens up (never, for a zero-capacity link)
    const leftMs = ((this.totalBytes - this.done) * 1000) / rate;
    this.queue.at(this.queue.nowMs + leftMs, () => {
      if (gen !== this.gen) return;
      this.done = this.totalBytes;
      this.lastMs = this.queue.nowMs;
      this.detach();
      this.onDone();
    });
  }
}

/** A new transfer changes every share on both of its links. */
function reshare(flow: Flow): void {
  if (flow.from) for (const f of flow.from.ups) if (f !== flow) f.setRate();
  for (const f of flow.to.downs) if (f !== flow) f.setRate();
  flow.setRate();
}
