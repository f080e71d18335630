import type { PlanLoad, PlanReason } from '../../core/scheduler/plan.js';
import type { Flow } from './network.js';
import type { PeerView } from './peer-view.js';
import type { DeliverySource, ViewerStats } from './stats.js';
import type { SimSegment } from './stream.js';

/** The player's pending request for a segment (core/load.ts's Waiter). */
export interface SimWaiter {
  sinceMs: number;
  deliver: (source: DeliverySource) => void;
}

/**
 * core/load.ts's Load without the bytes themselves: counts instead of buffers. Like the real one, a source switch
 * keeps what arrived, so a P2P transfer cut at byte N continues over HTTP Range from N.
 */
export class SimLoad {
  source: 'http' | 'p2p' | undefined;
  peerId: string | undefined;
  reason: PlanReason = 'request';
  startedMs = 0;
  lastDataMs = 0;
  /** Whole bytes held, from transfers that ended (the running flow's bytes come on top). */
  committed = 0;
  /** Bytes of the current source from transfers that ended (a peer cut off before its failure is known). */
  sourceCommitted = 0;
  totalBytes: number | undefined;
  httpBytes = 0;
  p2pBytes = 0;
  flow: Flow | undefined;
  /** Bumped on every source change: late events of an abandoned transfer see a different value and do nothing. */
  gen = 0;
  waiter: SimWaiter | undefined;
  finishedVia: 'http' | 'p2p' | undefined;
  /** The peer our P2P request is in flight with (its pendingDownloads counts it once). */
  asking: PeerView | undefined;
  /** Who serves the running P2P transfer (booked even after it left the simulation). */
  uploaderStats: ViewerStats | undefined;

  constructor(readonly segment: SimSegment) {}

  get active(): boolean {
    return this.source !== undefined;
  }

  received(): number {
    return this.committed + (this.flow?.bytes() ?? 0);
  }

  view(nowMs: number): PlanLoad {
    const running = this.flow?.bytes() ?? 0;
    return {
      source: this.source ?? 'http',
      ...(this.peerId ? { peerId: this.peerId } : {}),
      reason: this.reason,
      startedMs: this.startedMs,
      // Bytes arrive continuously while the flow has a rate (the real code sees a chunk every few ms).
      lastDataMs: this.flow && this.flow.rate > 0 ? nowMs : this.lastDataMs,
      sourceBytes: this.sourceCommitted + running,
      receivedBytes: this.committed + running,
      totalBytes: this.totalBytes,
    };
  }

  /** The P2P request ended (done, failed, cut or cancelled). */
  release(): void {
    this.asking?.requestEnded();
    this.asking = undefined;
  }

  begin(source: 'http' | 'p2p', reason: PlanReason, nowMs: number, peerId?: string): number {
    this.source = source;
    this.reason = reason;
    this.peerId = peerId;
    this.startedMs = this.lastDataMs = nowMs;
    this.sourceCommitted = 0;
    return ++this.gen;
  }
}
