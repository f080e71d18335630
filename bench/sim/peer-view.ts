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
 * `latencyMs` late; throughput is the real core ThroughputMeter fed with the simulated transfers' progress.
 */
export class PeerView implements PeerInfo {
  readonly id: string;
  pendingDownloads = 0;
  readonly meter: ThroughputMeter;

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
    return this.remote.log.seenAt(segmentId, this.queue.nowMs, this.latencyMs) === 'have';
  }
  isLoading(segmentId: string): boolean {
    return this.remote.log.seenAt(segmentId, this.queue.nowMs, this.latencyMs) === 'loading';
  }

  /** Peer.download: the meter only counts time with at least one request in flight. */
  requestStarted(): void {
    if (this.pendingDownloads++ === 0) this.meter.activate();
  }
  requestEnded(): void {
    this.pendingDownloads = Math.max(0, this.pendingDownloads - 1);
  }
}
