import type { StoredSegmentMeta } from './types.js';

export interface EvictionInput {
  nowMs: number;
  budgetBytes: number;
  ttlMs: number;
  /** Playhead per swarm key, for the active streams only. */
  positionSecBySwarm: ReadonlyMap<string, number>;
  /** Live streams: ids still in the playlist per swarm key; anything else in that swarm is gone for good. */
  liveIdsBySwarm: ReadonlyMap<string, ReadonlySet<string>>;
  /** Keys that must not be evicted (being uploaded or just requested). */
  pinned?: ReadonlySet<string>;
}

/**
 * Pure eviction policy → keys to delete. Always: expired TTL, live segments that left the playlist.
 * Over budget: behind the playhead first (oldest start first, other swarms' segments count as behind),
 * then the farthest ahead.
 */
export function planEviction(metas: readonly StoredSegmentMeta[], input: EvictionInput): string[] {
  const out: string[] = [];
  const kept: StoredSegmentMeta[] = [];
  let usage = 0;
  for (const m of metas) {
    const live = input.liveIdsBySwarm.get(m.swarmKey);
    if (input.nowMs - m.storedAtMs > input.ttlMs || (live && !live.has(m.segmentId))) out.push(m.key);
    else {
      kept.push(m);
      usage += m.bytes;
    }
  }
  if (usage <= input.budgetBytes) return out;
  // Rank: behind the playhead (or in an inactive swarm) before ahead; behind → oldest first; ahead → farthest first.
  const rank = (m: StoredSegmentMeta): number => {
    const pos = input.positionSecBySwarm.get(m.swarmKey);
    if (pos === undefined) return -1e12 + m.startSec;
    if (m.startSec + m.durationSec <= pos) return -1e9 + m.startSec;
    return -m.startSec;
  };
  kept.sort((a, b) => rank(a) - rank(b));
  for (const m of kept) {
    if (usage <= input.budgetBytes) break;
    if (input.pinned?.has(m.key)) continue;
    out.push(m.key);
    usage -= m.bytes;
  }
  return out;
}
