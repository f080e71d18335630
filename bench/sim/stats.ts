/** Byte and playback accounting. Per viewer: cdn + p2p downloaded = delivered + wasted + held at the end. */
export interface ViewerStats {
  id: number;
  uploadBytesPerSec: number;
  downloadBytesPerSec: number;
  symmetricNat: boolean;
  joinedMs: number;
  leftMs: number | undefined;
  /** Every byte fetched from the CDN / received from peers, delivered to the player or not. */
  cdnBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
  /** Bytes of segments handed to the player, split by where each byte came from. */
  deliveredBytes: number;
  deliveredHttpBytes: number;
  deliveredP2PBytes: number;
  segmentsDelivered: number;
  /** Downloaded bytes thrown away: dropped partial loads, segments evicted or left behind unplayed. */
  wastedBytes: number;
  /** Downloaded, not (yet) played when the simulation stopped. */
  heldAtEndBytes: number;
  httpRequests: number;
  /** What integrity checks of peer bytes cost the CDN (Range windows), outside the segment bytes above. */
  checkBytes: number;
  checkRequests: number;
  stalls: number;
  stallMs: number;
  /** From the first frame to leaving (stalls included). */
  watchMs: number;
  startupMs: number | undefined;
  /** Live: fell out of the playlist window and jumped back to the live edge. */
  liveResyncs: number;
}

export type DeliverySource = 'http' | 'p2p' | 'cache';

/** What the whole run collects besides the per-viewer figures. */
export class RunCollector {
  readonly viewers: ViewerStats[] = [];
  /** Player request → segment delivered, by the source of the last bytes. */
  readonly loadMs: Record<DeliverySource, number[]> = { http: [], p2p: [], cache: [] };
  /** Distinct viewers that fetched bytes of each segment from the CDN. */
  readonly cdnFetchers = new Map<string, number>();
  /** Deliveries to players and bytes of each segment (for the offload ceiling). */
  readonly deliveries = new Map<string, { count: number; bytes: number }>();
  /** Bytes handed to players after the initial join ramp (steady state), and the P2P share of them. */
  steadyDeliveredBytes = 0;
  steadyP2PBytes = 0;
  /** How many transfers the serving peer had running (this one included) when each P2P transfer began. */
  readonly uploadsAtStart: number[] = [];
  /** Scheduler actions executed, by kind and reason ("http request", "to-http slow", …), plus peer failures. */
  readonly actions = new Map<string, number>();

  count(action: string): void {
    this.actions.set(action, (this.actions.get(action) ?? 0) + 1);
  }

  newViewer(s: Omit<ViewerStats, NumericCounters | 'leftMs' | 'startupMs'>): ViewerStats {
    const v: ViewerStats = {
      ...s,
      leftMs: undefined,
      startupMs: undefined,
      cdnBytes: 0,
      p2pBytes: 0,
      uploadedBytes: 0,
      deliveredBytes: 0,
      deliveredHttpBytes: 0,
      deliveredP2PBytes: 0,
      segmentsDelivered: 0,
      wastedBytes: 0,
      heldAtEndBytes: 0,
      httpRequests: 0,
      checkBytes: 0,
      checkRequests: 0,
      stalls: 0,
      stallMs: 0,
      watchMs: 0,
      liveResyncs: 0,
    };
    this.viewers.push(v);
    return v;
  }

  constructor(private readonly steadyFromMs: number) {}

  delivered(
    segmentId: string,
    bytes: number,
    p2pBytes: number,
    source: DeliverySource,
    loadMs: number,
    nowMs: number,
  ): void {
    this.loadMs[source].push(loadMs);
    if (nowMs >= this.steadyFromMs) {
      this.steadyDeliveredBytes += bytes;
      this.steadyP2PBytes += p2pBytes;
    }
    const d = this.deliveries.get(segmentId);
    if (d) d.count++;
    else this.deliveries.set(segmentId, { count: 1, bytes });
  }

  cdnFetch(segmentId: string): void {
    this.cdnFetchers.set(segmentId, (this.cdnFetchers.get(segmentId) ?? 0) + 1);
  }
}

type NumericCounters =
  | 'cdnBytes'
  | 'p2pBytes'
  | 'uploadedBytes'
  | 'deliveredBytes'
  | 'deliveredHttpBytes'
  | 'deliveredP2PBytes'
  | 'segmentsDelivered'
  | 'wastedBytes'
  | 'heldAtEndBytes'
  | 'httpRequests'
  | 'checkBytes'
  | 'checkRequests'
  | 'stalls'
  | 'stallMs'
  | 'watchMs'
  | 'liveResyncs';
