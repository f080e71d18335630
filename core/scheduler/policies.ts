/**
 * The four policies of one plan() pass, one per kind of segment: a transfer in flight is supervised, a segment
 * playback needs is served, one nobody needs yet is prefetched from a peer or seeded over HTTP for the swarm.
 * Each reads the pass's context and spends from its budgets.
 */
import type { PlanContext } from './context.js';
import { fetchRank } from './rank.js';
import type { PlanReason, PlanRow } from './types.js';

/**
 * Kept between the HTTP fallback's expected end and the player's own request timer. The timer is exact (unlike
 * the playhead, whose deadline deadlineMarginMs guards), so this only absorbs event-loop delay on a busy page.
 */
export const PLAYER_TIMER_MARGIN_MS = 500;

/** When a row's data is due: against the playhead and against the player's own timer. */
export interface RowTiming {
  /** Seconds until the player needs it (its start, or the player's timer if that fires first). */
  deadlineSec: number;
  /** Seconds until the player's timer gives up on it (Infinity: not requested, or no timer). */
  giveUpSec: number;
  /** Inside the urgent window and not yet in the player's buffer (or asked for). */
  urgent: boolean;
  /** When the player runs dry if this segment is late: at its start, or sooner if the buffer ends before it. */
  dryInSec: number;
}

/** Time in hand for `bytes` before HTTP must start, against the playhead and the player's timer (which runs exactly). */
export function inHandMs(t: RowTiming, ctx: PlanContext, bytes: number): number {
  return Math.min(ctx.slackMs(t.dryInSec, bytes), t.giveUpSec * 1000 - ctx.httpMs(bytes) - PLAYER_TIMER_MARGIN_MS);
}

export function timingOf(row: PlanRow, ctx: PlanContext): RowTiming {
  const { s, pos, rate, bufferedEnd, nowMs } = ctx;
  const ahead = row.startSec - pos;
  // A player that times the request out first (VHS: 1.5 target durations) sets an earlier deadline: it treats
  // a timeout as a collapsed network (drops to its lowest rendition) and may never ask again.
  const giveUpMs = row.request?.giveUpMs;
  const giveUpSec = giveUpMs === undefined ? Infinity : Math.max(0, giveUpMs - nowMs) / 1000;
  const deadlineSec = Math.min(Math.max(0, ahead) / rate, giveUpSec);
  // When the player runs dry if this segment is late: at its start, or sooner if the buffer ends before it.
  // Waiting for the swarm is measured against this, so it never starts before playback has a buffer.
  const dryInSec = Math.max(0, Math.min(row.startSec, bufferedEnd) - pos) / rate;
  const urgent =
    ahead < s.urgentWindowSec && (row.request !== undefined || row.startSec + row.durationSec > bufferedEnd + 0.01);
  return { deadlineSec, giveUpSec, urgent, dryInSec };
}

/**
 * A P2P transfer in flight: when playback needs it, a stalled peer or one too slow for the deadline is cut over to
 * HTTP Range from the byte reached; otherwise a stalled one is cancelled.
 */
export function supervise(row: PlanRow, ctx: PlanContext, t: RowTiming): void {
  const load = row.load;
  if (load?.source !== 'p2p') return;
  const { s, nowMs } = ctx;
  const stalled = nowMs - load.lastDataMs > s.p2pStallTimeoutMs;
  if (t.urgent || t.giveUpSec < s.urgentWindowSec) {
    const elapsedMs = nowMs - load.startedMs;
    const peer = ctx.peers.find((p) => p.id === load.peerId);
    const speed = elapsedMs > 500 ? (load.sourceBytes * 1000) / elapsedMs : peer?.throughputBytesPerSec;
    const remaining = (load.totalBytes ?? row.sizeBytes) - load.receivedBytes;
    // A peer on trial (not measured yet) keeps the transfer while time is in hand.
    const slow =
      speed === undefined ? inHandMs(t, ctx, remaining) <= 0 : speed * t.deadlineSec < remaining * s.p2pSafetyFactor;
    if ((stalled || slow) && ctx.takeHttpSlot()) {
      ctx.actions.push({ type: 'to-http', id: row.id, why: stalled ? 'stalled' : 'slow' });
      ctx.p2pFree++;
    }
  } else if (stalled) {
    ctx.actions.push({ type: 'cancel', id: row.id, why: 'stalled' });
    ctx.p2pFree++;
  }
}

/**
 * A segment playback needs (asked for, or urgent). Playback first: HTTP as soon as waiting for the swarm could make
 * the player run dry. While there is time in hand it is taken from a peer that has it, waited for when a peer is
 * fetching it, and otherwise held back for this viewer's share of `p2pWaitMaxMs`: viewers asking for the same new
 * segment together (the live edge) then fetch it over HTTP about once, not once each.
 */
export function serve(row: PlanRow, ctx: PlanContext, t: RowTiming): void {
  const { s } = ctx;
  const requested = row.request !== undefined;
  const reason: PlanReason = requested ? 'request' : 'urgent';
  // Not asked for yet: on a thin link it would slow the one the player is waiting for.
  if (!requested && ctx.thin && ctx.playbackWaits) return;
  const useP2P = s.p2pEnabled && ctx.p2pFree > 0;
  const fast = useP2P
    ? ctx.idlePeer(row.id, (p) => (p.throughputBytesPerSec ?? 0) * t.deadlineSec >= row.sizeBytes * s.p2pSafetyFactor)
    : undefined;
  if (fast) {
    ctx.takePeer(row, fast, reason);
    return;
  }
  // Urgent but not asked for yet: the player will ask. Fetching it over HTTP speculatively would waste CDN bytes
  // whenever the player switches rendition.
  if (!requested) return;
  // Without a connected peer there is nobody to wait for yet: the segments that start playback go at once. The
  // rest of a newcomer's buffer-filling burst waits a little for the peers it is connecting to (or, just after
  // joining, expects: see Swarm.connectingPeers) once half of urgentWindowSec is buffered, or for any that may come
  // once urgentWindowSec is. Not for the newest listed segment: at a live edge the swarm holds few copies of it
  // yet, and a newcomer asking for one competes with the viewers that pass it on.
  const buffered = ctx.bufferedEnd - ctx.pos;
  const canWait =
    ctx.peers.length > 0 ||
    buffered >= s.urgentWindowSec ||
    (ctx.peersConnecting > 0 && row !== ctx.newest && buffered >= s.urgentWindowSec / 2);
  const inHand = s.p2pEnabled && canWait ? inHandMs(t, ctx, row.sizeBytes) : 0;
  if (inHand > 0 && holdForSwarm(row, ctx, t, inHand, useP2P)) return;
  if (ctx.takeHttpSlot()) ctx.actions.push({ type: 'http', id: row.id, reason });
}

/** With time in hand: a peer to try, a peer's copy to wait for, or our share of the hold. False: go to HTTP. */
function holdForSwarm(row: PlanRow, ctx: PlanContext, t: RowTiming, inHand: number, useP2P: boolean): boolean {
  const { s, nowMs } = ctx;
  // Not urgent: any holder; urgent: a holder not measured yet (a measured one was too slow for the deadline).
  const trial = useP2P ? ctx.idlePeer(row.id, (p) => !t.urgent || p.throughputBytesPerSec === undefined) : undefined;
  if (trial) {
    ctx.takePeer(row, trial, row.request ? 'request' : 'urgent');
    return true;
  }
  const untilSlackMs = nowMs + inHand;
  if (ctx.anyPeerHasOrLoads(row.id)) {
    // A peer holds it (busy now) or is fetching it: its copy is the cheaper one.
    ctx.actions.push({ type: 'wait', id: row.id, untilMs: untilSlackMs });
    return true;
  }
  // The hold shrinks with the time in hand: a late peer fetch then still has time to spread.
  const holdMs = fetchRank(ctx.selfId, row.id) * Math.min(s.p2pWaitMaxMs, inHand / 2);
  const holdUntilMs = (row.request?.sinceMs ?? nowMs) + holdMs;
  if (holdUntilMs <= nowMs) return false;
  ctx.actions.push({ type: 'wait', id: row.id, untilMs: Math.min(holdUntilMs, untilSlackMs) });
  return true;
}

/** A segment nobody needs yet that a peer holds: fetched ahead, within the prefetch allowance. */
export function prefetch(row: PlanRow, ctx: PlanContext): boolean {
  if (!ctx.s.p2pEnabled || ctx.p2pFree <= 0 || ctx.prefetchBudget <= 0) return false;
  const holder = ctx.idlePeer(row.id, () => true);
  if (!holder) return false;
  ctx.takePeer(row, holder, 'prefetch');
  ctx.prefetchBudget--;
  return true;
}

/**
 * A segment nobody has yet, inside the HTTP window: fetched for the swarm (and announced "loading") when we are
 * first in its HTTP queue among our peers and near the head of the swarm's. In a swarm where everyone sees
 * everyone that is one viewer at most; with nobody near the head, the players' own requests fetch it.
 */
export function seed(row: PlanRow, ctx: PlanContext): void {
  const { s } = ctx;
  if (ctx.shortBuffer || ctx.thin || !s.httpSeedEnabled || !s.p2pEnabled || s.consumeOnly) return;
  if (ctx.httpFree <= 0 || ctx.peers.length === 0 || row.startSec - ctx.pos >= s.httpWindowSec) return;
  if (ctx.anyPeerHasOrLoads(row.id) || !ctx.firstToSeed(row.id)) return;
  ctx.actions.push({ type: 'http', id: row.id, reason: 'seed' });
  ctx.httpFree--;
}
