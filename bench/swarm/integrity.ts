/**
 * What integrity checks cost the CDN in the P2P pass: the engines' getStats().integrity summed over viewers, set
 * against the P2P bytes they checked and the baseline's CDN bill.
 */
import type { IntegrityStats } from '../../core/index.js';
import type { ViewerResult } from './protocol.js';

export interface IntegritySummary extends IntegrityStats {
  /** Check bytes per P2P byte received (%): the price of the P2P bytes, headers not counted. */
  cdnBytesPctOfP2p: number;
  /** Check bytes against the baseline's CDN bytes (%): points of offload they cost. */
  cdnBytesPctOfBaseline: number;
}

export function summariseIntegrity(viewers: readonly ViewerResult[], baselineCdnBytes: number): IntegritySummary {
  const total: IntegrityStats = {
    verified: 0,
    failed: 0,
    forged: 0,
    byMethod: { 'hash-list': 0, 'spot-check': 0 },
    cdnBytes: 0,
    cdnRequests: 0,
  };
  let p2pBytes = 0;
  for (const v of viewers) {
    const s = v.engine.integrity;
    total.verified += s.verified;
    total.failed += s.failed;
    total.forged += s.forged;
    total.byMethod['hash-list'] += s.byMethod['hash-list'];
    total.byMethod['spot-check'] += s.byMethod['spot-check'];
    total.cdnBytes += s.cdnBytes;
    total.cdnRequests += s.cdnRequests;
    p2pBytes += v.engine.p2pBytes;
  }
  return {
    ...total,
    cdnBytesPctOfP2p: p2pBytes > 0 ? (100 * total.cdnBytes) / p2pBytes : 0,
    cdnBytesPctOfBaseline: baselineCdnBytes > 0 ? (100 * total.cdnBytes) / baselineCdnBytes : 0,
  };
}

export function renderIntegrity(mode: string, hashLists: boolean, s: IntegritySummary): string {
  const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
  return (
    `integrity (p2p pass)       ${mode}, origin ${hashLists ? 'publishes hash lists' : 'without hash lists (/nolist/)'}:` +
    ` ${s.verified} P2P segments verified (hash list ${s.byMethod['hash-list']}, spot check ${s.byMethod['spot-check']}),` +
    ` ${s.failed} failed (${s.forged} forged); CDN cost ${kb(s.cdnBytes)} KB in ${s.cdnRequests} requests` +
    ` = ${s.cdnBytesPctOfP2p.toFixed(2)} % of P2P bytes, ${s.cdnBytesPctOfBaseline.toFixed(2)} % of the baseline's CDN bytes`
  );
}
