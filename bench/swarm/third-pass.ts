/**
 * P2P Media Loader's pass against the same HTTP-only baseline: the figures the swarmcast pass is judged by (CDN
 * bytes and offload, CDN copies per segment, stalls, startup pooled and of the later half of joiners, upload
 * wasted, HTTP repeats), from the same per-pass summary.
 */
import type { PassSummary } from './summary.js';

const ratio = (p: number | undefined, b: number | undefined): number | undefined =>
  b && p !== undefined ? p / b : undefined;
const offload = (b: number, p: number): number => (b > 0 ? 100 * (1 - p / b) : 0);

export function compareWithBaseline(baseline: PassSummary, pass: PassSummary) {
  return {
    /** What ran: the npm packages and version, at their defaults but for the tracker, ICE servers and swarm id. */
    library: 'p2p-media-loader-hlsjs 2.3.1',
    cdnBytes: pass.cdnBytes,
    cdnMediaBytes: pass.cdnMediaBytes,
    offloadPct: offload(baseline.cdnBytes, pass.cdnBytes),
    mediaOffloadPct: offload(baseline.cdnMediaBytes, pass.cdnMediaBytes),
    cdnCopiesPerSegment: pass.distinctSegmentBytes > 0 ? pass.cdnMediaBytes / pass.distinctSegmentBytes : undefined,
    /** Bytes received from peers by all viewers of the pass. */
    p2pBytes: pass.consistency.p2pReceivedBytes,
    stalls: { count: pass.stalls, sec: pass.stallSec, extra: pass.stalls - baseline.stalls },
    startupMs: { median: pass.startupMedianMs, ratio: ratio(pass.startupMedianMs, baseline.startupMedianMs) },
    laterHalfStartupMs: {
      median: pass.laterHalfStartupMedianMs,
      ratio: ratio(pass.laterHalfStartupMedianMs, baseline.laterHalfStartupMedianMs),
    },
    uploadWasted: pass.uploadWasted,
    httpRepeats: pass.httpRepeats,
  };
}

export type ThirdPassComparison = ReturnType<typeof compareWithBaseline>;
