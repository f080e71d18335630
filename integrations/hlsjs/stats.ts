/**
 * hls.js `LoaderStats` handling. hls.js's ABR samples bandwidth as `loaded` bytes over the time from
 * `loading.start` to `loading.end` (or `parsing.end`), minus a TTFB term. A segment that came from a peer or from
 * the engine's store arrives "instantly" and would make hls.js believe the network is very fast, so it would
 * switch up and then stall on HTTP. Such deliveries are therefore reported as if they had taken the time HTTP
 * would have needed at the engine's HTTP-only estimate: the sample then leaves the player's estimate where HTTP
 * put it. Real HTTP deliveries report their real timing.
 */
import type { LoaderStats } from 'hls.js';
import type { LoadResult } from '../../core/index.js';

/** A fresh stats object (hls.js's LoadStats shape; hls.js is only a type import here). */
export function createStats(): LoaderStats {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

/**
 * While the engine works on a request (maybe waiting for a peer), `loaded === total` tells hls.js's
 * `_abandonRulesCheck` that the load is complete, so it never emergency-aborts a P2P wait as if it were a slow
 * HTTP transfer. The engine's own urgency rules move late segments to HTTP instead.
 */
export function markPending(stats: LoaderStats, nowMs: number): void {
  stats.loading.start = nowMs;
  stats.loading.first = 0;
  stats.loading.end = 0;
  stats.loaded = 1;
  stats.total = 1;
  stats.aborted = false;
}

export interface EstimateSources {
  /** Engine's HTTP-only estimate, bytes/s. */
  engineBytesPerSec: number | undefined;
  /** hls.js's current estimate, bits/s (its default before any sample). */
  hlsBitsPerSec: number | undefined;
  /** hls.js's TTFB estimate, ms. */
  hlsTtfbMs: number | undefined;
}

/** Lowest plausible rate used when nothing is known (≈ hls.js's 500 kb/s default). */
const FALLBACK_BYTES_PER_SEC = 62500;

export function neutralRate(src: EstimateSources): number {
  if (src.engineBytesPerSec !== undefined && src.engineBytesPerSec > 0) return src.engineBytesPerSec;
  if (src.hlsBitsPerSec !== undefined && src.hlsBitsPerSec > 0) return src.hlsBitsPerSec / 8;
  return FALLBACK_BYTES_PER_SEC;
}

/**
 * Fills `loading.*`, `loaded`, `total` for a finished engine load, ending at `endMs` (performance.now()).
 * Rule: never report a delivery as faster than HTTP currently is. A slow HTTP transfer keeps its real timing
 * (hls.js must see bad networks at once); anything faster (peer, store, or an HTTP prefetch this request
 * joined half-way, whose apparent rate is inflated) is reported at the engine's HTTP-only estimate.
 * `bwEstimate` is left to hls.js's ABR controller, which writes it on FRAG_BUFFERED.
 */
export function fillCompleted(stats: LoaderStats, r: LoadResult, endMs: number, src: EstimateSources): void {
  stats.loaded = stats.total = r.bytes;
  stats.chunkCount = Math.max(stats.chunkCount, 1);
  stats.loading.end = endMs;
  const neutral = neutralRate(src);
  const elapsedMs = r.timing.endMs - r.timing.requestStartMs;
  if (r.source === 'http' && elapsedMs > 0 && r.bytes / (elapsedMs / 1000) <= neutral) {
    stats.loading.start = endMs - elapsedMs;
    stats.loading.first = Math.min(
      endMs,
      stats.loading.start + Math.max(0, r.timing.firstByteMs - r.timing.requestStartMs),
    );
    return;
  }
  // The TTFB part equals hls.js's own estimate so its TTFB sampler is not pulled towards zero either.
  const transferMs = (r.bytes / neutral) * 1000;
  const ttfbMs = Math.max(0, src.hlsTtfbMs ?? 0);
  stats.loading.start = endMs - transferMs - ttfbMs;
  stats.loading.first = stats.loading.start + ttfbMs;
}
