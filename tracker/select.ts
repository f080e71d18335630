/** Offer targets: `count` random peers of a swarm's dense array, other than the offerer, in O(count). */

export function pickTargets<P>(peers: readonly P[], selfIndex: number, count: number): P[] {
  const n = peers.length;
  const out: P[] = [];
  if (n - 1 <= count * 3) {
    // Small swarm: a window from a random start, skipping self.
    const start = Math.floor(Math.random() * n);
    for (let i = 0; i < n && out.length < count; i++) {
      const idx = (start + i) % n;
      const p = peers[idx];
      if (idx !== selfIndex && p) out.push(p);
    }
    return out;
  }
  const seen = new Set<number>([selfIndex]);
  for (let attempts = 0; out.length < count && attempts < count * 4; attempts++) {
    const idx = Math.floor(Math.random() * n);
    if (seen.has(idx)) continue;
    seen.add(idx);
    const p = peers[idx];
    if (p) out.push(p);
  }
  return out;
}
