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
  | 'httpSeedProbabilityScale'
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
  /** Our in-flight P2P downloads per peer id (all streams). */
  peerBusy: ReadonlyMap<string, number>;
  /** In-flight downloads across all streams (the caps are global). */
  httpActive: number;
  p2pActive: number;
  /** Prefetch back-off: segment id → time before which it is not prefetched. */
  backoffUntilMs: ReadonlyMap<string, number>;
  settings: PlanSettings;
  random: () => number;
}

export type PlanAction =
  | { type: 'http'; id: string; reason: PlanReason }
  | { type: 'p2p'; id: string; peerId: string; reason: PlanReason }
  /** Cancel the P2P transfer and continue over HTTP Range from the byte reached. */
  | { type: 'to-http'; id: string; why: 'stalled' | 'slow' }
  | { type: 'cancel'; id: string; why: 'stalled' | 'preempted' };

/**
 * Pure scheduler: (now, playback, segments, storage, swarm view, loads, settings) → actions. Playback first:
 * a segment needed soon goes to HTTP unless a peer can provably deliver it in time.
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
  const bufferedEnd = Math.max(pos, input.playback?.bufferedEndSec ?? pos);
  const preemptable = [...input.loads].filter(([, l]) => l.source === 'http' && l.reason === 'seed').map(([id]) => id);

  /** Frees an HTTP slot for playback by cancelling the farthest speculative HTTP download. */
  const takeHttpSlot = (): boolean => {
    if (httpFree > 0) return httpFree-- > 0;
    const victim = preemptable.pop();
    if (victim === undefined) return false;
    actions.push({ type: 'cancel', id: victim, why: 'preempted' });
    return true;
  };
  const idlePeer = (id: string, ok: (p: PeerInfo) => boolean): PeerInfo | undefined => {
    let best: PeerInfo | undefined;
    for (const p of peers) {
      if (!p.has(id) || (busy.get(p.id) ?? 0) > 0 || !ok(p)) continue;
      if (!best || (p.throughputBytesPerSec ?? 0) > (best.throughputBytesPerSec ?? 0)) best = p;
    }
    return best;
  };

  // Requested segments first (the player is waiting), then the rest in playback order.
  const ordered = [...input.segments].sort(
    (a, b) => Number(input.requested.has(b.id)) - Number(input.requested.has(a.id)) || a.startSec - b.startSec,
  );
  for (const seg of ordered) {
    const requested = input.requested.has(seg.id);
    const ahead = seg.startSec - pos;
    const deadlineSec = Math.max(0, ahead) / rate;
    // Urgent: needed before the buffer runs out (inside the urgent window and not yet in the player's buffer).
    const urgent = ahead < s.urgentWindowSec && (requested || seg.startSec + seg.durationSec > bufferedEnd + 0.01);
    const load = input.loads.get(seg.id);
    if (load) {
      if (load.source !== 'p2p') continue;
      const stalled = nowMs - load.lastDataMs > s.p2pStallTimeoutMs;
      if (urgent) {
        const elapsedMs = nowMs - load.startedMs;
        const peer = peers.find((p) => p.id === load.peerId);
        const speed = elapsedMs > 500 ? (load.sourceBytes * 1000) / elapsedMs : (peer?.throughputBytesPerSec ?? 0);
        const remaining = (load.totalBytes ?? seg.sizeBytes) - load.receivedBytes;
        const slow = speed * deadlineSec < remaining * s.p2pSafetyFactor;
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
      const fast = useP2P
        ? idlePeer(seg.id, (p) => (p.throughputBytesPerSec ?? 0) * deadlineSec >= seg.sizeBytes * s.p2pSafetyFactor)
        : undefined;
      if (fast) {
        actions.push({ type: 'p2p', id: seg.id, peerId: fast.id, reason });
        busy.set(fast.id, 1);
        p2pFree--;
      } else if (!requested) {
        // Urgent but not asked for yet: the player will ask. Fetching it over HTTP speculatively would waste
        // CDN bytes whenever the player switches rendition.
      } else if (!urgent && s.p2pEnabled && peers.some((p) => p.has(seg.id) || p.isLoading(seg.id))) {
        // Not needed soon and the swarm has or is fetching it: let the prefetch pass pick it up.
        if (useP2P) {
          const any = idlePeer(seg.id, () => true);
          if (any) {
            actions.push({ type: 'p2p', id: seg.id, peerId: any.id, reason });
            busy.set(any.id, 1);
            p2pFree--;
          }
        }
      } else if (takeHttpSlot()) actions.push({ type: 'http', id: seg.id, reason });
      continue;
    }
    if ((input.backoffUntilMs.get(seg.id) ?? 0) > nowMs) continue;
    const holder = useP2P ? idlePeer(seg.id, () => true) : undefined;
    if (holder) {
      actions.push({ type: 'p2p', id: seg.id, peerId: holder.id, reason: 'prefetch' });
      busy.set(holder.id, 1);
      p2pFree--;
    } else if (
      s.p2pEnabled &&
      !s.consumeOnly &&
      httpFree > 0 &&
      peers.length > 0 &&
      ahead < s.httpWindowSec &&
      !peers.some((p) => p.has(seg.id) || p.isLoading(seg.id)) &&
      input.random() < s.httpSeedProbabilityScale / (peers.length + 1)
    ) {
      // Nobody has it: in expectation about one viewer per swarm fetches it (and announces "loading").
      actions.push({ type: 'http', id: seg.id, reason: 'seed' });
      httpFree--;
    }
  }
  return actions;
}
