import { LOADING_CLAIM_MAX_MS } from '../../core/p2p/claims.js';
import { ThroughputMeter } from '../../core/p2p/download.js';
import type { PeerInfo } from '../../core/p2p/types.js';
import type { AnnouncementLog } from './announcements.js';
import type { EventQueue } from './event-queue.js';

/** The remote end as the local engine sees it (core/p2p/peer.ts's PeerInfo side, minus the data channel). */
export interface RemoteEnd {
  readonly peerId: string;
  readonly log: AnnouncementLog;
}

/**
 * One connected peer from the local viewer's side. have/loading come from the remote's announcement timeline read
 * `latencyMs` late, with the real peer's rules on top (core/p2p/peer.ts, claims.ts): nothing it claims is believed
 * while it is penalized, and a `loading` claim is believed for LOADING_CLAIM_MAX_MS from the first one. Throughput
 * is the real core ThroughputMeter fed with the simulated transfers' progress.
 */
export class PeerView implements PeerInfo {
  readonly id: string;
  pendingDownloads = 0;
  readonly meter: ThroughputMeter;
  /** Set by the viewer's conduct record when the peer is penalized (0: trusted). */
  distrustUntilMs = 0;
  /** Told once per claim that outlived LOADING_CLAIM_MAX_MS (the real swarm's sweep penalizes it). */
  onExpiredClaim: ((peer: PeerView) => void) | undefined;
  private readonly expired = new Set<string>();

  constructor(
    readonly remote: RemoteEnd,
    readonly latencyMs: number,
    private readonly queue: EventQueue,
  ) {
    this.id = remote.peerId;
    this.meter = new ThroughputMeter(() => queue.nowMs);
  }

  get throughputBytesPerSec(): number | undefined {
    return this.meter.value;
  }
  has(segmentId: string): boolean {
    return this.trusted() && this.remote.log.seenAt(segmentId, this.queue.nowMs, this.latencyMs) === 'have';
  }
  isLoading(segmentId: string): boolean {
    if (!this.trusted() || this.remote.log.seenAt(segmentId, this.queue.nowMs, this.latencyMs) !== 'loading')
      return false;
    const first = this.remote.log.firstLoadingAt(segmentId) ?? this.queue.nowMs;
    if (this.queue.nowMs - (first + this.latencyMs) < LOADING_CLAIM_MAX_MS) return true;
    if (!this.expired.has(segmentId)) {
      this.expired.add(segmentId);
      this.onExpiredClaim?.(this);
    }
    return false;
  }

  private trusted(): boolean {
    return this.distrustUntilMs === 0 || this.queue.nowMs >= this.distrustUntilMs;
  }

  /** Peer.download: the meter only counts time with at least one request in flight. */
  requestStarted(): void {
    if (this.pendingDownloads++ === 0) this.meter.activate();
  }
  requestEnded(): void {
    this.pendingDownloads = Math.max(0, this.pendingDownloads - 1);
  }
}
