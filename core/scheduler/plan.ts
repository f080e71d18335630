/**
 * The scheduler: a pure function from what the engine knows (playhead, segments, transfers, peers, the link) to
 * what it should do now. The engine's scheduler loop builds the input (plan-input.ts), runs it every tick and on
 * every event, and carries the actions out.
 */
import { PlanContext } from './context.js';
import { prefetch, seed, serve, supervise, timingOf } from './policies.js';
import type { PlanAction, PlanInput } from './types.js';

export { NEARLY_DONE_BYTES, THIN_LINK_MEDIA_RATIO } from './context.js';
export { PLAYER_TIMER_MARGIN_MS } from './policies.js';
export { SEEDERS_PER_SEGMENT, fetchRank } from './rank.js';
export type * from './types.js';

/** How long a peer that answered BUSY is not asked again (the engine then reports it busy to plan()). */
export const BUSY_PEER_PAUSE_MS = 500;

/**
 * Requested segments first (the player is waiting), then the rest in playback order. A row with a transfer is
 * supervised; a segment already buffered, stored, behind the playhead or beyond the P2P window is left alone; one
 * playback needs is served; any other is prefetched from a peer or, if nobody has it, seeded for the swarm.
 */
export function plan(input: PlanInput): PlanAction[] {
  const ctx = new PlanContext(input);
  const { s } = ctx;
  const ordered = [...input.rows].sort(
    (a, b) => Number(b.request !== undefined) - Number(a.request !== undefined) || a.startSec - b.startSec,
  );
  for (const row of ordered) {
    if (row.checking) continue;
    const t = timingOf(row, ctx);
    if (row.load) {
      supervise(row, ctx, t);
      continue;
    }
    const requested = row.request !== undefined;
    const inBuffer = row.startSec + row.durationSec <= ctx.bufferedEnd + 0.01;
    if (!requested && (inBuffer || row.startSec - ctx.pos >= s.p2pWindowSec)) continue;
    if (row.stored) continue;
    if (t.urgent || requested) {
      serve(row, ctx, t);
      continue;
    }
    if ((row.backoffUntilMs ?? 0) > ctx.nowMs) continue;
    if (!prefetch(row, ctx)) seed(row, ctx);
  }
  return ctx.actions;
}
