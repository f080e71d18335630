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

/**
 * HTTP seeds wanted per fresh segment across a whole swarm, whatever its size. Being first among one's own peers
 * in a segment's HTTP queue picks about one viewer in (peers + 1), so seeds alone would grow with the audience:
 * the tracker's count caps them instead.
 */
export const SEEDERS_PER_SEGMENT = 3;

/**
 * Whether our place in a segment's HTTP queue (`rank`, from fetchRank) is among the first SEEDERS_PER_SEGMENT of
 * `swarmSize` viewers, as the tracker counted them. In a swarm no larger than that, every place is.
 */
export function seedsInSwarm(rank: number, swarmSize: number): boolean {
  return rank * Math.max(swarmSize, SEEDERS_PER_SEGMENT) < SEEDERS_PER_SEGMENT;
}
