/** Seeded randomness for everything random the bench owns (join order and times, engine `random`). Browser-safe. */

/** mulberry32: small, fast, good enough for scheduling and dice; the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-viewer seed derived from the run seed, so adding viewers does not change the earlier viewers' seeds. */
export function viewerSeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * Join offsets (ms from the start of the pass) of `count` viewers spread over `spreadMs`: sorted uniform draws,
 * the first viewer at 0 so no pass waits for nothing. Viewer `vNN` is the NN-th to join.
 */
export function joinOffsetsMs(count: number, spreadMs: number, seed: number): number[] {
  const random = seededRandom(seed);
  const offsets = Array.from({ length: count }, () => Math.round(random() * spreadMs)).sort((a, b) => a - b);
  const first = offsets[0] ?? 0;
  return offsets.map((o) => o - first);
}
