import type { PeerInfo } from '../p2p/types.js';
import type { EngineSettings } from '../settings.js';
import type { PlaybackState } from '../types.js';

/** A segment of an active stream as the scheduler sees it. */
export interface PlanSegment {
  id: string;
  startSec: number;
  durationSec: number;
  /** Exact size when known (byte range, stored before, peer told), else bandwidth × duration. */
  sizeBytes: number;
}

/** One download in flight for this stream. */
export interface PlanLoad {
  source: 'http' | 'p2p';
  peerId?: string;
  /** Why it was started; only `seed` and `prefetch` HTTP/P2P loads may be pre-empted. */
  reason: PlanReason;
  startedMs: number;
  /** Last time bytes arrived (startedMs before the first byte). */
  lastDataMs: number;
  /** Bytes of this source's transfer so far (for its throughput). */
  sourceBytes: number;
  /** Bytes of the segment held so far, all sources. */
  receivedBytes: number;
  totalBytes: number | undefined;
}

export type PlanReason = 'request' | 'urgent' | 'prefetch' | 'seed';

export type PlanSettings = Pick<
  EngineSettings,
  | 'p2pEnabled'
  | 'consumeOnly'
  | 'httpMaxConcurrent'
  | 'p2pMaxConcurrent'
  | 'urgentWindowSec'
  | 'httpWindowSec'
  | 'p2pWindowSec'
  | 'p2pSafetyFactor'
  | 'p2pStallTimeoutMs'
  | 'httpSeedEnabled'
  | 'p2pWaitMaxMs'
  | 'deadlineMarginMs'
>;

export interface PlanInput {
  nowMs: number;
  playback: PlaybackState | undefined;
  /** Segments of one active stream, ascending start. */
  segments: readonly PlanSegment[];
  isStored: (id: string) => boolean;
  loads: ReadonlyMap<string, PlanLoad>;
  /** Segments the player is waiting for (not necessarily loading yet). */
  requested: ReadonlySet<string>;
  /** Connected peers of this stream's swarm; empty without P2P. */
  peers: readonly PeerInfo[];
  /** Connections of that swarm being set up with a known remote peer (a newcomer's first peers). */
  peersConnecting: number;
  /** Viewers in this stream's swarm as the tracker last counted them, us included (at least peers + 1). */
  swarmSize: number;
  /** Our in-flight P2P downloads per peer id (all streams). */
  peerBusy: ReadonlyMap<string, number>;
  /** In-flight downloads across all streams (the caps are global). */
  httpActive: number;
  p2pActive: number;
  /** Prefetch back-off: segment id → time before which it is not prefetched. */
  backoffUntilMs: ReadonlyMap<string, number>;
  /** HTTP-only throughput estimate, bytes/s; undefined before the first measurable download. */
  httpBytesPerSec: number | undefined;
  /** When the player first asked for each requested segment. */
  requestedSinceMs: ReadonlyMap<string, number>;
  /**
   * When the player's own timer gives up on a requested segment (its earliest waiter; absent: no timer). A
   * segment is held back for the swarm no later than a deadline would allow at that instant.
   */
  playerGiveUpMs: ReadonlyMap<string, number>;
  /** Our peer id in this stream's swarm ('' without one): with a segment id it gives our place in the HTTP queue. */
  selfId: string;
  settings: PlanSettings;
}

export type PlanAction =
  | { type: 'http'; id: string; reason: PlanReason }
  | { type: 'p2p'; id: string; peerId: string; reason: PlanReason }
  /** Cancel the P2P transfer and continue over HTTP Range from the byte reached. */
  | { type: 'to-http'; id: string; why: 'stalled' | 'slow' }
  | { type: 'cancel'; id: string; why: 'stalled' | 'preempted' }
  /** Nothing to do for this segment yet (a peer may deliver it first); plan again at `untilMs` at the latest. */
  | { type: 'wait'; id: string; untilMs: number };

/**
 * A viewer's place in the swarm's queue for fetching a segment over HTTP: a hash of (peer id, segment id) in
 * [0, 1). Every viewer computes the same value for every peer, so viewers agree on who goes first without talking,
 * and the first place moves from viewer to viewer from one segment to the next (FNV-1a, 32 bits, with murmur3's finaliser).
 */
export function fetchRank(peerId: string, segmentId: string): number {
  let h = 0x811c9dc5;
  const key = `${peerId}\u0000${segmentId}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  // FNV alone barely moves the high bits for keys that differ in the last character (s41, s42, …): avalanche them.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** A transfer with this little left is as good as done: the server has sent most of it already. */
export const NEARLY_DONE_BYTES = 64 * 1024;

/**
 * Kept between the HTTP fallback's expected end and the player's own request timer. The timer is exact (unlike
 * the playhead, whose deadline deadlineMarginMs guards), so this only absorbs event-loop delay on a busy page.
 */
export const PLAYER_TIMER_MARGIN_MS = 500;

/** How long a peer that answered BUSY is not asked again (the engine then reports it busy to plan()). */
export const BUSY_PEER_PAUSE_MS = 500;

/** `expectedBytes`: the segment's size estimate, used before the response told the real one. */
const nearlyDone = (l: PlanLoad, expectedBytes: number | undefined): boolean => {
  const total = l.totalBytes ?? expectedBytes;
  return total !== undefined && total - l.receivedBytes <= NEARLY_DONE_BYTES;
};

/**
 * A link measured below this multiple of the stream's media rate is thin: a second transfer halves the share of
 * the one playback waits for, which then arrives slower than it plays (bench:sim: viewers on 3–4 Mbit/s links
 * stalled behind P2P prefetches at 2.5 Mbit/s where HTTP alone played them without a stall).
 */
export const THIN_LINK_MEDIA_RATIO = 2;

/** Whether the measured HTTP rate is under THIN_LINK_MEDIA_RATIO × the listed segments' bytes per second. */
function isThinLink(httpBytesPerSec: number | undefined, segments: readonly PlanSegment[]): boolean {
  if (httpBytesPerSec === undefined) return false;
  let bytes = 0;
  let seconds = 0;
  for (const seg of segments) {
    bytes += seg.sizeBytes;
    seconds += seg.durationSec;
  }
  return seconds > 0 && httpBytesPerSec < (THIN_LINK_MEDIA_RATIO * bytes) / seconds;
}

/**
 * HTTP seeds wanted per fresh segment across a whole swarm, whatever its size. Being first among one's own peers
 * in a segment's HTTP queue picks about one viewer in (peers + 1), so seeds alone would grow with the audience
 * (bench:sim, 1000 viewers with 40 peers each: about ten per segment, most of the CDN bytes after the join ramp).
 */
export const SEEDERS_PER_SEGMENT = 3;

/**
 * Whether our place in a segment's HTTP queue (`rank`, from fetchRank) is among the first SEEDERS_PER_SEGMENT of
 * `swarmSize` viewers, as the tracker counted them. In a swarm no larger than that, every place is.
 */
function seedsInSwarm(rank: number, swarmSize: number): boolean {
  return rank * Math.max(swarmSize, SEEDERS_PER_SEGMENT) < SEEDERS_PER_SEGMENT;
}

/** HTTP rate assumed before the first measurable download (≈ hls.js's 500 kb/s default). */
const FALLBACK_HTTP_BYTES_PER_SEC = 62_500;

/**
 * Pure scheduler: (now, playback, segments, storage, swarm view, loads, settings) → actions. Playback first:
 * a segment goes to HTTP as soon as waiting for the swarm could make the player run dry. While there is time in
 * hand (the deadline minus the expected HTTP time minus a margin), a requested segment is taken from a peer that
 * has it (even one not measured yet: a slow or silent peer is cut over to HTTP Range in time), waited for when a
 * peer is fetching it, and otherwise held back for a random share of `p2pWaitMaxMs`: viewers of a swarm that
 * all ask for the same new segment (the live edge) then fetch it over HTTP about once, not once each.
 */
export function plan(input: PlanInput): PlanAction[] {
  const { settings: s, nowMs, peers } = input;
  const actions: PlanAction[] = [];
  let httpFree = s.httpMaxConcurrent - input.httpActive;
  let p2pFree = s.p2pMaxConcurrent - input.p2pActive;
  const busy = new Map(input.peerBusy);
  const first = input.segments.find((x) => input.requested.has(x.id));
  const pos = input.playback?.positionSec ?? first?.startSec ?? 0;
  const rate = input.playback && input.playback.rate > 0 ? input.playback.rate : 1;
  // The buffer as it is about to be: segments already delivered (stored) right after it reach the player at once.
  // hls.js and VHS ask for the next segment as soon as one arrived, before its append shows in `buffered`.
  let bufferedEnd = Math.max(pos, input.playback?.bufferedEndSec ?? pos);
  for (const seg of input.segments) {
    const end = seg.startSec + seg.durationSec;
    if (seg.startSec <= bufferedEnd + 0.01 && end > bufferedEnd && input.isStored(seg.id)) bufferedEnd = end;
  }
  const httpBytesPerSec = input.httpBytesPerSec ?? FALLBACK_HTTP_BYTES_PER_SEC;
  /** Expected HTTP time for `bytes`, with the safety factor. */
  const httpMs = (bytes: number): number => ((bytes * s.p2pSafetyFactor) / httpBytesPerSec) * 1000;
  /** Milliseconds in hand before `bytes` must start over HTTP to arrive by the deadline. */
  const slackMs = (deadlineSec: number, bytes: number): number =>
    deadlineSec * 1000 - httpMs(bytes) - s.deadlineMarginMs;
  // A seed close to done is left to finish: its bytes are mostly on the wire already, cancelling wastes them.
  const sizeOf = (id: string): number | undefined => input.segments.find((x) => x.id === id)?.sizeBytes;
  const preemptable = [...input.loads]
    .filter(([id, l]) => l.source === 'http' && l.reason === 'seed' && !nearlyDone(l, sizeOf(id)))
    .map(([id]) => id);

  /** Frees an HTTP slot for playback by cancelling the farthest speculative HTTP download. */
  const takeHttpSlot = (): boolean => {
    if (httpFree > 0) return httpFree-- > 0;
    const victim = preemptable.pop();
    if (victim === undefined) return false;
    actions.push({ type: 'cancel', id: victim, why: 'preempted' });
    return true;
  };
  /**
   * An idle peer that holds `id` and passes `ok`. Among several, a hash of (peer, us, segment) picks: always taking
   * the fastest would send every viewer to the same peer, whose upload then serves many at once and turns slow.
   */
  const idlePeer = (id: string, ok: (p: PeerInfo) => boolean): PeerInfo | undefined => {
    let best: PeerInfo | undefined;
    let bestRank = Infinity;
    for (const p of peers) {
      if (!p.has(id) || (busy.get(p.id) ?? 0) > 0 || !ok(p)) continue;
      const rank = fetchRank(p.id, `${input.selfId}\u0000${id}`);
      if (rank < bestRank) [best, bestRank] = [p, rank];
    }
    return best;
  };

  // Until the player has a few seconds buffered, speculative downloads share its link with the requests playback
  // waits for: then at most one prefetch at a time, and no HTTP seeding.
  // Half the urgent window: players that keep about urgentWindowSec buffered (Shaka's 10 s goal) are past startup.
  const shortBuffer = bufferedEnd - pos < s.urgentWindowSec / 2;
  let speculative = 0;
  let playbackWaits = input.requested.size > 0;
  for (const l of input.loads.values()) {
    if (l.reason === 'prefetch' || l.reason === 'seed') speculative++;
    else playbackWaits = true;
  }
  // On a link too thin for two transfers at the media rate, nothing speculative runs while playback waits.
  const thin = isThinLink(input.httpBytesPerSec, input.segments);
  let prefetchBudget = thin && playbackWaits ? 0 : shortBuffer || thin ? 1 - speculative : Infinity;
  const swarmSize = Math.max(input.swarmSize, peers.length + 1);

  /** Near the head of the swarm's HTTP queue for `id`, and first in it among our peers. */
  const firstToSeed = (id: string): boolean => {
    const own = fetchRank(input.selfId, id);
    return seedsInSwarm(own, swarmSize) && peers.every((p) => own < fetchRank(p.id, id));
  };

  // Requested segments first (the player is waiting), then the rest in playback order.
  const ordered = [...input.segments].sort(
    (a, b) => Number(input.requested.has(b.id)) - Number(input.requested.has(a.id)) || a.startSec - b.startSec,
  );
  for (const seg of ordered) {
    const requested = input.requested.has(seg.id);
    const ahead = seg.startSec - pos;
    // A player that times the request out first (VHS: 1.5 target durations) sets an earlier deadline: it treats
    // a timeout as a collapsed network (drops to its lowest rendition) and may never ask again.
    const giveUpMs = requested ? input.playerGiveUpMs.get(seg.id) : undefined;
    const giveUpSec = giveUpMs === undefined ? Infinity : Math.max(0, giveUpMs - nowMs) / 1000;
    const deadlineSec = Math.min(Math.max(0, ahead) / rate, giveUpSec);
    // When the player runs dry if this segment is late: at its start, or sooner if the buffer ends before it.
    // Waiting for the swarm is measured against this, so it never starts before playback has a buffer.
    const dryInSec = Math.max(0, Math.min(seg.startSec, bufferedEnd) - pos) / rate;
    /** Time in hand for `bytes`: against the playhead, and against the player's timer (which runs exactly). */
    const inHand = (bytes: number): number =>
      Math.min(slackMs(dryInSec, bytes), giveUpSec * 1000 - httpMs(bytes) - PLAYER_TIMER_MARGIN_MS);
    // Urgent: needed before the buffer runs out (inside the urgent window and not yet in the player's buffer).
    const urgent = ahead < s.urgentWindowSec && (requested || seg.startSec + seg.durationSec > bufferedEnd + 0.01);
    const load = input.loads.get(seg.id);
    if (load) {
      if (load.source !== 'p2p') continue;
      const stalled = nowMs - load.lastDataMs > s.p2pStallTimeoutMs;
      if (urgent || giveUpSec < s.urgentWindowSec) {
        const elapsedMs = nowMs - load.startedMs;
        const peer = peers.find((p) => p.id === load.peerId);
        const speed = elapsedMs > 500 ? (load.sourceBytes * 1000) / elapsedMs : peer?.throughputBytesPerSec;
        const remaining = (load.totalBytes ?? seg.sizeBytes) - load.receivedBytes;
        // A peer on trial (not measured yet) keeps the transfer while time is in hand.
        const slow = speed === undefined ? inHand(remaining) <= 0 : speed * deadlineSec < remaining * s.p2pSafetyFactor;
        if ((stalled || slow) && takeHttpSlot()) {
          actions.push({ type: 'to-http', id: seg.id, why: stalled ? 'stalled' : 'slow' });
          p2pFree++;
        }
      } else if (stalled) {
        actions.push({ type: 'cancel', id: seg.id, why: 'stalled' });
        p2pFree++;
      }
      continue;
    }
    // Not requested and already in the player's buffer (or behind it, or too far ahead): nothing to do.
    if (!requested && (seg.startSec + seg.durationSec <= bufferedEnd + 0.01 || ahead >= s.p2pWindowSec)) continue;
    if (input.isStored(seg.id)) continue;
    const useP2P = s.p2pEnabled && p2pFree > 0;
    if (urgent || requested) {
      const reason: PlanReason = requested ? 'request' : 'urgent';
      // Not asked for yet: on a thin link it would slow the one the player is waiting for.
      if (!requested && thin && playbackWaits) continue;
      const fast = useP2P
        ? idlePeer(seg.id, (p) => (p.throughputBytesPerSec ?? 0) * deadlineSec >= seg.sizeBytes * s.p2pSafetyFactor)
        : undefined;
      if (fast) {
        actions.push({ type: 'p2p', id: seg.id, peerId: fast.id, reason });
        busy.set(fast.id, 1);
        p2pFree--;
        continue;
      }
      // Urgent but not asked for yet: the player will ask. Fetching it over HTTP speculatively would waste
      // CDN bytes whenever the player switches rendition.
      if (!requested) continue;
      // Without a connected peer there is nobody to wait for yet: the segments that start playback go at once.
      // The rest of a newcomer's buffer-filling burst waits a little for the peers it is connecting to (or, just
      // after joining, expects: see Swarm.connectingPeers) once half of urgentWindowSec is buffered, or for any
      // that may come once urgentWindowSec is. Not for the newest listed segment: at a live edge the swarm holds
      // few copies of it yet, and a newcomer asking for one competes with the viewers that pass it on (bench:sim
      // at 6 s latency: −1.4 points of offload).
      const buffered = bufferedEnd - pos;
      const newest = seg === input.segments[input.segments.length - 1];
      const canWait =
        peers.length > 0 ||
        buffered >= s.urgentWindowSec ||
        (input.peersConnecting > 0 && !newest && buffered >= s.urgentWindowSec / 2);
      const inHandMs = s.p2pEnabled && canWait ? inHand(seg.sizeBytes) : 0;
      if (inHandMs > 0) {
        // Not urgent: any holder; urgent: a holder not measured yet (a measured one was too slow above).
        const trial = useP2P ? idlePeer(seg.id, (p) => !urgent || p.throughputBytesPerSec === undefined) : undefined;
        if (trial) {
          actions.push({ type: 'p2p', id: seg.id, peerId: trial.id, reason });
          busy.set(trial.id, 1);
          p2pFree--;
          continue;
        }
        const untilSlackMs = nowMs + inHandMs;
        if (peers.some((p) => p.has(seg.id) || p.isLoading(seg.id))) {
          // A peer holds it (busy now) or is fetching it: its copy is the cheaper one.
          actions.push({ type: 'wait', id: seg.id, untilMs: untilSlackMs });
          continue;
        }
        // The hold shrinks with the time in hand: a late peer fetch then still has time to spread.
        const holdMs = fetchRank(input.selfId, seg.id) * Math.min(s.p2pWaitMaxMs, inHandMs / 2);
        const holdUntilMs = (input.requestedSinceMs.get(seg.id) ?? nowMs) + holdMs;
        if (holdUntilMs > nowMs) {
          actions.push({ type: 'wait', id: seg.id, untilMs: Math.min(holdUntilMs, untilSlackMs) });
          continue;
        }
      }
      if (takeHttpSlot()) actions.push({ type: 'http', id: seg.id, reason });
      continue;
    }
    if ((input.backoffUntilMs.get(seg.id) ?? 0) > nowMs) continue;
    const holder = useP2P && prefetchBudget > 0 ? idlePeer(seg.id, () => true) : undefined;
    if (holder) {
      actions.push({ type: 'p2p', id: seg.id, peerId: holder.id, reason: 'prefetch' });
      busy.set(holder.id, 1);
      p2pFree--;
      prefetchBudget--;
    } else if (
      !shortBuffer &&
      !thin &&
      s.httpSeedEnabled &&
      s.p2pEnabled &&
      !s.consumeOnly &&
      httpFree > 0 &&
      peers.length > 0 &&
      ahead < s.httpWindowSec &&
      !peers.some((p) => p.has(seg.id) || p.isLoading(seg.id)) &&
      firstToSeed(seg.id)
    ) {
      // Nobody has it, we are first in its HTTP queue among our peers and near the head of the swarm's: we fetch
      // it for them (and announce "loading"). In a swarm where everyone sees everyone that is one viewer at most;
      // with nobody near the head, the players' requests fetch it.
      actions.push({ type: 'http', id: seg.id, reason: 'seed' });
      httpFree--;
    }
  }
  return actions;
}
