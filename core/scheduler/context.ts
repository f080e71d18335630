import type { PeerInfo } from '../p2p/types.js';
import { fetchRank, seedsInSwarm } from './rank.js';
import type { PlanAction, PlanInput, PlanLoad, PlanRow, PlanSettings } from './types.js';

/** A transfer with this little left is as good as done: the server has sent most of it already. */
export const NEARLY_DONE_BYTES = 64 * 1024;

/**
 * A link measured below this multiple of the stream's media rate is thin: a second transfer halves the share of
 * the one playback waits for, which then arrives slower than it plays.
 */
export const THIN_LINK_MEDIA_RATIO = 2;

/** HTTP rate assumed before the first measurable download (≈ hls.js's 500 kb/s default). */
const FALLBACK_HTTP_BYTES_PER_SEC = 62_500;

/** `expectedBytes`: the segment's size estimate, used before the response told the real one. */
export const nearlyDone = (l: PlanLoad, expectedBytes: number): boolean =>
  (l.totalBytes ?? expectedBytes) - l.receivedBytes <= NEARLY_DONE_BYTES;

/** Whether the measured HTTP rate is under THIN_LINK_MEDIA_RATIO × the listed segments' bytes per second. */
function isThinLink(httpBytesPerSec: number | undefined, rows: readonly PlanRow[]): boolean {
  if (httpBytesPerSec === undefined) return false;
  let bytes = 0;
  let seconds = 0;
  for (const row of rows) {
    bytes += row.sizeBytes;
    seconds += row.durationSec;
  }
  return seconds > 0 && httpBytesPerSec < (THIN_LINK_MEDIA_RATIO * bytes) / seconds;
}

/**
 * What one plan() pass knows about the whole stream (the playhead, the buffer as it is about to be, the link) and
 * the budgets its policies share: free HTTP and P2P slots, busy peers, the prefetch allowance. Policies read it
 * and spend from it; the actions they take accumulate in `actions`.
 */
export class PlanContext {
  readonly s: PlanSettings;
  readonly nowMs: number;
  readonly peers: readonly PeerInfo[];
  readonly selfId: string;
  readonly peersConnecting: number;
  readonly actions: PlanAction[] = [];
  /** Playhead and playback rate (a paused player counts as rate 1: deadlines keep their order). */
  readonly pos: number;
  readonly rate: number;
  /** End of the buffer as it is about to be: stored segments right after it reach the player at once. */
  readonly bufferedEnd: number;
  /** Before a few seconds are buffered, speculative transfers would share the link with startup. */
  readonly shortBuffer: boolean;
  /** The link is too thin for two transfers at the media rate. */
  readonly thin: boolean;
  /** The player waits for a segment (requested, or a request/urgent transfer runs). */
  readonly playbackWaits: boolean;
  /** Viewers in the swarm, us included, never fewer than our peers + 1. */
  readonly swarmSize: number;
  /** The newest listed segment (a live window's edge). */
  readonly newest: PlanRow | undefined;
  httpFree: number;
  p2pFree: number;
  prefetchBudget: number;
  private readonly busy: Map<string, number>;
  private readonly httpBytesPerSec: number;
  /** HTTP seeds that may be cancelled to free a slot for playback, nearest first (the farthest goes first). */
  private readonly preemptable: string[];

  constructor(input: PlanInput) {
    const s = (this.s = input.settings);
    this.nowMs = input.nowMs;
    this.peers = input.swarm.peers;
    this.selfId = input.swarm.selfId;
    this.peersConnecting = input.swarm.peersConnecting;
    this.swarmSize = Math.max(input.swarm.size, this.peers.length + 1);
    this.newest = input.rows[input.rows.length - 1];
    this.httpFree = s.httpMaxConcurrent - input.httpActive;
    this.p2pFree = s.p2pMaxConcurrent - input.p2pActive;
    this.busy = new Map(input.peerBusy);
    const firstRequested = input.rows.find((r) => r.request);
    const pos = (this.pos = input.playback?.positionSec ?? firstRequested?.startSec ?? 0);
    this.rate = input.playback && input.playback.rate > 0 ? input.playback.rate : 1;
    // hls.js and VHS ask for the next segment as soon as one arrived, before its append shows in `buffered`.
    let bufferedEnd = Math.max(pos, input.playback?.bufferedEndSec ?? pos);
    for (const row of input.rows) {
      const end = row.startSec + row.durationSec;
      if (row.startSec <= bufferedEnd + 0.01 && end > bufferedEnd && row.stored) bufferedEnd = end;
    }
    this.bufferedEnd = bufferedEnd;
    this.httpBytesPerSec = input.httpBytesPerSec ?? FALLBACK_HTTP_BYTES_PER_SEC;
    // A seed close to done is left to finish: its bytes are mostly on the wire already, cancelling wastes them.
    this.preemptable = input.rows
      .filter((r) => r.load?.source === 'http' && r.load.reason === 'seed' && !nearlyDone(r.load, r.sizeBytes))
      .map((r) => r.id);
    // Half the urgent window: players that keep about urgentWindowSec buffered (Shaka's 10 s goal) are past startup.
    this.shortBuffer = bufferedEnd - pos < s.urgentWindowSec / 2;
    let speculative = 0;
    let playbackWaits = false;
    for (const row of input.rows) {
      if (row.request) playbackWaits = true;
      if (!row.load) continue;
      if (row.load.reason === 'prefetch' || row.load.reason === 'seed') speculative++;
      else playbackWaits = true;
    }
    this.playbackWaits = playbackWaits;
    this.thin = isThinLink(input.httpBytesPerSec, input.rows);
    // While the buffer is short at most one speculative transfer runs; on a thin link none while playback waits.
    this.prefetchBudget = this.thin && playbackWaits ? 0 : this.shortBuffer || this.thin ? 1 - speculative : Infinity;
  }

  /** Expected HTTP time for `bytes`, with the safety factor. */
  httpMs(bytes: number): number {
    return ((bytes * this.s.p2pSafetyFactor) / this.httpBytesPerSec) * 1000;
  }

  /** Milliseconds in hand before `bytes` must start over HTTP to arrive within `deadlineSec`. */
  slackMs(deadlineSec: number, bytes: number): number {
    return deadlineSec * 1000 - this.httpMs(bytes) - this.s.deadlineMarginMs;
  }

  /** Takes an HTTP slot for playback, cancelling the farthest speculative HTTP download if none is free. */
  takeHttpSlot(): boolean {
    if (this.httpFree > 0) return this.httpFree-- > 0;
    const victim = this.preemptable.pop();
    if (victim === undefined) return false;
    this.actions.push({ type: 'cancel', id: victim, why: 'preempted' });
    return true;
  }

  /**
   * An idle peer that holds `id` and passes `ok`. Among several, a hash of (peer, us, segment) picks: always taking
   * the fastest would send every viewer to the same peer, whose upload then serves many at once and turns slow.
   */
  idlePeer(id: string, ok: (p: PeerInfo) => boolean): PeerInfo | undefined {
    let best: PeerInfo | undefined;
    let bestRank = Infinity;
    for (const p of this.peers) {
      if (!p.has(id) || (this.busy.get(p.id) ?? 0) > 0 || !ok(p)) continue;
      const rank = fetchRank(p.id, `${this.selfId}\u0000${id}`);
      if (rank < bestRank) [best, bestRank] = [p, rank];
    }
    return best;
  }

  /** Starts a download of `id` from `peer` (one P2P slot, the peer busy for the rest of this pass). */
  takePeer(row: PlanRow, peer: PeerInfo, reason: 'request' | 'urgent' | 'prefetch'): void {
    this.actions.push({ type: 'p2p', id: row.id, peerId: peer.id, reason });
    this.busy.set(peer.id, 1);
    this.p2pFree--;
  }

  /** Some peer holds `id` or is fetching it. */
  anyPeerHasOrLoads(id: string): boolean {
    return this.peers.some((p) => p.has(id) || p.isLoading(id));
  }

  /** Near the head of the swarm's HTTP queue for `id`, and first in it among our peers. */
  firstToSeed(id: string): boolean {
    const own = fetchRank(this.selfId, id);
    return seedsInSwarm(own, this.swarmSize) && this.peers.every((p) => own < fetchRank(p.id, id));
  }
}
