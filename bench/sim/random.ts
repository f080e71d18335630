/** Seeded randomness: every draw of a run comes from here, so the same seed replays the same run. */

/** The same mulberry32 generator bench:swarm seeds its viewers with. */
import { seededRandom } from '../swarm/rng.js';

export { seededRandom };

/** Standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Log-normal draw given its median and the σ of its logarithm (a long right tail, as measured bandwidths have). */
export function logNormal(random: () => number, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(random));
}

/** Exponential draw (time to the next event of a Poisson process with the given mean). */
export function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** A 32-bit seed derived from (seed, key) (FNV-1a), for a generator of its own. */
export function hashSeed(seed: number, key: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A stable value in [0, 1) for (seed, key): the same key always maps to the same value. */
export function hashUnit(seed: number, key: string): number {
  return seededRandom(hashSeed(seed, key))();
}
