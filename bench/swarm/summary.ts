/** Turns the baseline and P2P passes into the bench's one result object (what `--json` prints). */
import type { SegmentSource } from '../../core/index.js';
import { MANIFESTS, virtualCount, type SwarmBenchOptions } from './options.js';
import type { PassResult, TrackerCounts } from './pass.js';
import { httpRepeats, type HttpRepeats } from './http-repeats.js';
import { summariseIntegrity } from './integrity.js';
import { compareWithBaseline } from './third-pass.js';
import type { ViewerResult } from './protocol.js';

/** The goals for the 10-viewer live run. */
export const GOALS = { offloadMinPct: 80, extraStallsMax: 0, startupMaxRatio: 1.1 } as const;

export interface Percentiles {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
}

export interface ViewerRow {
  id: string;
  kind: ViewerResult['kind'];
  startupMs: number | undefined;
  /** Start to the player asking for its first media segment (manifest and playlist loads before it). */
  firstSegmentRequestedMs: number | undefined;
  /** Start to the first connected peer. */
  firstPeerMs: number | undefined;
  /** Start to that segment's transfer starting (after any wait for peers) and to its first byte. */
  firstSegmentTransferStartMs: number | undefined;
  firstSegmentFirstByteMs: number | undefined;
  /** Start to the first media segment delivered by the engine, and its source. */
  firstSegmentMs: number | undefined;
  firstSegmentSource: string | undefined;
  /** Media segments delivered before the first frame played, and those loads (ms from the viewer's start). */
  mediaLoadsBeforeStartup: number | undefined;
  startupLoads: ViewerResult['startupLoads'];
  mainThreadBeforeStartup: ViewerResult['mainThreadBeforeStartup'];
  stalls: number;
  stallSec: number;
  stallEpisodes: ViewerResult['stallEpisodes'];
  playedSec: number;
  httpBytes: number;
  p2pBytes: number;
  cacheBytes: number;
  uploadBytes: number;
  /** p2p / (http + p2p) of the bytes the engine downloaded. */
  p2pSharePct: number;
  /** Origin meter: media bytes (engine fetches) and everything else of this viewer (manifests, player's own). */
  originMediaBytes: number;
  originOtherBytes: number;
  peers: number;
  errors: string[];
}

export interface PassSummary {
  /** Origin meter total: what the CDN served. */
  cdnBytes: number;
  cdnMediaBytes: number;
  /** Bytes of the distinct segments the audience's players were handed (each counted once, whoever loaded it). */
  distinctSegmentBytes: number;
  stalls: number;
  stallSec: number;
  startupMedianMs: number | undefined;
  /**
   * Median startup of the later half of joiners (join order): they meet an established swarm, where the first
   * ones meet nobody, so a newcomer's cost hides in the pooled median.
   */
  laterHalfStartupMedianMs: number | undefined;
  /**
   * Where startup goes, medians over viewers: start → first media segment asked for (manifest and playlists) →
   * its transfer started → first byte → delivered → first frame, and how many media segments the player had been
   * handed by then.
   */
  startupPhases: {
    firstPeerMs: number | undefined;
    firstSegmentRequestedMs: number | undefined;
    firstSegmentTransferStartMs: number | undefined;
    firstSegmentFirstByteMs: number | undefined;
    firstSegmentMs: number | undefined;
    startupMs: number | undefined;
    mediaLoadsBeforeStartup: number | undefined;
  };
  firstSegmentMedianMs: number | undefined;
  /**
   * Real viewers' long frames from start to first frame: medians of their totals, and the scripts that ran most in
   * them summed over viewers. Undefined without real viewers that played.
   */
  mainThreadBeforeStartup:
    { longFrameMedianMs: number; blockingMedianMs: number; topScripts: { script: string; ms: number }[] } | undefined;
  segmentLoadMs: Partial<Record<SegmentSource, Percentiles>>;
  /** Media segments more than one viewer fetched over HTTP: what keeps offload below "reachable". */
  httpRepeats: HttpRepeats;
  /**
   * Media segments handed to the players, by rendition (`426x240`, or the bandwidth where the stream has no
   * resolution): offload depends on it, since manifest bytes, which no peer serves, weigh more against a low one.
   */
  renditions: Record<string, number>;
  /**
   * Byte accounting. Origin media bytes vs the engines' HTTP bytes: the origin also meters bodies of downloads the
   * engine cancelled after the origin had written them (they never reach the engine). P2P: bytes received by all
   * engines vs bytes uploaded by all; uploads the receiver had already cancelled are discarded on arrival.
   */
  consistency: {
    originMediaBytes: number;
    engineHttpBytes: number;
    originNotReadBytes: number;
    p2pReceivedBytes: number;
    p2pUploadedBytes: number;
    p2pDiscardedBytes: number;
  };
  /**
   * Upload that did not end as a segment completed from a peer: `bytes` = uploaded − completed P2P downloads. Of
   * it, `discardedBytes` reached a receiver that had cancelled the request already, and the rest was received by
   * loads that were cancelled or cut over to HTTP Range (a cut-over keeps its prefix: that part was used).
   */
  uploadWasted: {
    bytes: number;
    pct: number;
    /** Bytes of the segments completed from peers (the players' and prefetches). */
    completedBytes: number;
    discardedBytes: number;
    receivedNotCompletedBytes: number;
  };
  tracker: TrackerCounts;
  viewers: ViewerRow[];
  errors: string[];
  wallSec: number;
  /** The bench process's event-loop delay (origin and tracker run there): how starved the harness was. */
  eventLoopDelayMs: PassResult['eventLoopDelayMs'];
  cpuSec: PassResult['cpuSec'];
}

/** Nearest-rank p50: the lower median for an even count, a value some sample actually had. */
export const median = (xs: number[]): number | undefined => percentile(xs, 50);
const defined = (xs: (number | undefined)[]): number[] => xs.filter((x): x is number => x !== undefined);

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function mainThreadSummary(viewers: ViewerRow[]): PassSummary['mainThreadBeforeStartup'] {
  const busy = viewers.flatMap((v) => (v.mainThreadBeforeStartup?.supported ? [v.mainThreadBeforeStartup] : []));
  if (busy.length === 0) return undefined;
  const byScript = new Map<string, number>();
  for (const b of busy) for (const s of b.topScripts) byScript.set(s.script, (byScript.get(s.script) ?? 0) + s.ms);
  return {
    longFrameMedianMs: median(busy.map((b) => b.longFrameMs)) ?? 0,
    blockingMedianMs: median(busy.map((b) => b.blockingMs)) ?? 0,
    topScripts: [...byScript]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([script, ms]) => ({ script, ms })),
  };
}

export function summarisePass(pass: PassResult): PassSummary {
  const byClient = pass.meter.byClient;
  const viewers: ViewerRow[] = pass.viewers.map((v) => {
    const e = v.engine;
    return {
      id: v.id,
      kind: v.kind,
      startupMs: v.startupMs,
      firstSegmentRequestedMs: v.firstSegment?.requestedMs,
      firstPeerMs: v.firstPeerMs,
      firstSegmentTransferStartMs: v.firstSegment?.transferStartMs,
      firstSegmentFirstByteMs: v.firstSegment?.firstByteMs,
      firstSegmentMs: v.firstSegment?.ms,
      firstSegmentSource: v.firstSegment?.source,
      mediaLoadsBeforeStartup: v.mediaLoadsBeforeStartup,
      startupLoads: v.startupLoads,
      mainThreadBeforeStartup: v.mainThreadBeforeStartup,
      stalls: v.stalls,
      stallSec: v.stallSec,
      stallEpisodes: v.stallEpisodes,
      playedSec: v.playedSec,
      httpBytes: e.httpBytes,
      p2pBytes: e.p2pBytes,
      cacheBytes: e.cacheBytes,
      uploadBytes: e.uploadedBytes,
      p2pSharePct: e.httpBytes + e.p2pBytes > 0 ? (100 * e.p2pBytes) / (e.httpBytes + e.p2pBytes) : 0,
      originMediaBytes: byClient[`${v.id}-seg`]?.bytes ?? 0,
      originOtherBytes: byClient[v.id]?.bytes ?? 0,
      peers: e.peers,
      errors: v.errors,
    };
  });
  const sum = (f: (r: ViewerRow) => number): number => viewers.reduce((a, r) => a + f(r), 0);
  const segmentLoadMs: PassSummary['segmentLoadMs'] = {};
  for (const source of ['http', 'p2p', 'cache'] as const) {
    const ms = pass.viewers.flatMap((v) => v.loads.filter((l) => l.source === source).map((l) => l.durationMs));
    if (ms.length > 0)
      segmentLoadMs[source] = { count: ms.length, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) };
  }
  const originMediaBytes = sum((r) => r.originMediaBytes);
  const engineHttpBytes = sum((r) => r.httpBytes);
  const p2pReceivedBytes = sum((r) => r.p2pBytes);
  const p2pUploadedBytes = sum((r) => r.uploadBytes);
  const segmentBytes = new Map<string, number>();
  for (const v of pass.viewers) for (const l of v.loads) segmentBytes.set(l.key, l.bytes);
  const startupMedianMs = median(defined(viewers.map((r) => r.startupMs)));
  const laterHalf = viewers.slice(Math.ceil(viewers.length / 2));
  const p2pCompletedBytes = pass.viewers.reduce(
    (a, v) => a + v.downloads.reduce((b, d) => b + (d.source === 'p2p' ? d.bytes : 0), 0),
    0,
  );
  const wastedBytes = Math.max(0, p2pUploadedBytes - p2pCompletedBytes);
  const firstSegmentMedianMs = median(defined(viewers.map((r) => r.firstSegmentMs)));
  return {
    cdnBytes: pass.meter.totalBytes,
    cdnMediaBytes: originMediaBytes,
    distinctSegmentBytes: [...segmentBytes.values()].reduce((a, b) => a + b, 0),
    stalls: sum((r) => r.stalls),
    stallSec: sum((r) => r.stallSec),
    startupMedianMs,
    laterHalfStartupMedianMs: median(defined(laterHalf.map((r) => r.startupMs))),
    startupPhases: {
      firstPeerMs: median(defined(viewers.map((r) => r.firstPeerMs))),
      firstSegmentRequestedMs: median(defined(viewers.map((r) => r.firstSegmentRequestedMs))),
      firstSegmentTransferStartMs: median(defined(viewers.map((r) => r.firstSegmentTransferStartMs))),
      firstSegmentFirstByteMs: median(defined(viewers.map((r) => r.firstSegmentFirstByteMs))),
      firstSegmentMs: firstSegmentMedianMs,
      startupMs: startupMedianMs,
      mediaLoadsBeforeStartup: median(defined(viewers.map((r) => r.mediaLoadsBeforeStartup))),
    },
    firstSegmentMedianMs,
    mainThreadBeforeStartup: mainThreadSummary(viewers),
    segmentLoadMs,
    httpRepeats: httpRepeats(pass.viewers),
    renditions: renditionCounts(pass.viewers),
    consistency: {
      originMediaBytes,
      engineHttpBytes,
      originNotReadBytes: originMediaBytes - engineHttpBytes,
      p2pReceivedBytes,
      p2pUploadedBytes,
      p2pDiscardedBytes: p2pUploadedBytes - p2pReceivedBytes,
    },
    uploadWasted: {
      bytes: wastedBytes,
      pct: p2pUploadedBytes > 0 ? (100 * wastedBytes) / p2pUploadedBytes : 0,
      completedBytes: p2pCompletedBytes,
      discardedBytes: p2pUploadedBytes - p2pReceivedBytes,
      receivedNotCompletedBytes: Math.max(0, p2pReceivedBytes - p2pCompletedBytes),
    },
    tracker: pass.tracker,
    viewers,
    errors: [...pass.errors],
    wallSec: pass.wallSec,
    eventLoopDelayMs: pass.eventLoopDelayMs,
    cpuSec: pass.cpuSec,
  };
}

export function summarise(
  o: SwarmBenchOptions,
  baselinePass: PassResult,
  p2pPass: PassResult,
  elapsedSec: number,
  /** Which core was measured (see index.ts). */
  core: string,
  /** P2P Media Loader's pass (`--p2pml`), if it ran. */
  p2pmlPass?: PassResult,
) {
  const baseline = summarisePass(baselinePass);
  const p2p = summarisePass(p2pPass);
  const p2pml = p2pmlPass && summarisePass(p2pmlPass);
  const n = o.viewers;
  const offload = (b: number, p: number): number => (b > 0 ? 100 * (1 - p / b) : 0);
  const offloadPct = offload(baseline.cdnBytes, p2p.cdnBytes);
  const startupRatio =
    baseline.startupMedianMs && p2p.startupMedianMs !== undefined
      ? p2p.startupMedianMs / baseline.startupMedianMs
      : undefined;
  const extraStalls = p2p.stalls - baseline.stalls;
  const laterHalfRatio =
    baseline.laterHalfStartupMedianMs && p2p.laterHalfStartupMedianMs !== undefined
      ? p2p.laterHalfStartupMedianMs / baseline.laterHalfStartupMedianMs
      : undefined;
  return {
    options: { ...o },
    manifest: MANIFESTS[o.player][o.stream],
    viewers: { total: n, real: n - virtualCount(o), virtual: virtualCount(o) },
    cdnBytes: { baseline: baseline.cdnBytes, p2p: p2p.cdnBytes },
    cdnMediaBytes: { baseline: baseline.cdnMediaBytes, p2p: p2p.cdnMediaBytes },
    /** Origin bytes saved against the HTTP-only pass, manifests included (they are CDN cost too). */
    offloadPct,
    mediaOffloadPct: offload(baseline.cdnMediaBytes, p2p.cdnMediaBytes),
    /** Every segment fetched once from the origin, by one of N viewers: 1 − 1/N. */
    ceilingPct: 100 * (1 - 1 / n),
    /**
     * What this run's audience leaves reachable: each distinct segment the HTTP-only pass loaded crosses the CDN once,
     * and manifests cost what they did. Below the ceiling when viewers' windows differ (a join spread) and when
     * manifests, which no peer serves, weigh much against media (a low-bitrate stream).
     */
    reachablePct: offload(
      baseline.cdnBytes,
      baseline.distinctSegmentBytes + baseline.cdnBytes - baseline.cdnMediaBytes,
    ),
    stalls: {
      baseline: { count: baseline.stalls, sec: baseline.stallSec },
      p2p: { count: p2p.stalls, sec: p2p.stallSec },
      extra: extraStalls,
    },
    startupMs: { baselineMedian: baseline.startupMedianMs, p2pMedian: p2p.startupMedianMs, ratio: startupRatio },
    laterHalfStartupMs: {
      baselineMedian: baseline.laterHalfStartupMedianMs,
      p2pMedian: p2p.laterHalfStartupMedianMs,
      ratio: laterHalfRatio,
    },
    /**
     * Media bytes the P2P pass took from the CDN per distinct segment byte its players were handed: 1.0 when every
     * segment crossed the CDN once (the baseline's figure is about the viewer count).
     */
    cdnCopiesPerSegment: {
      baseline: baseline.distinctSegmentBytes > 0 ? baseline.cdnMediaBytes / baseline.distinctSegmentBytes : undefined,
      p2p: p2p.distinctSegmentBytes > 0 ? p2p.cdnMediaBytes / p2p.distinctSegmentBytes : undefined,
    },
    uploadWasted: p2p.uploadWasted,
    firstSegmentMs: { baselineMedian: baseline.firstSegmentMedianMs, p2pMedian: p2p.firstSegmentMedianMs },
    segmentLoadMs: { baseline: baseline.segmentLoadMs, p2p: p2p.segmentLoadMs },
    /** The P2P pass's integrity checks and their CDN cost (headers not counted; the origin meter counts them). */
    integrity: summariseIntegrity(p2pPass.viewers, baseline.cdnBytes),
    uploadBytesPerViewer: n > 0 ? p2p.consistency.p2pUploadedBytes / n : 0,
    trackerMessages: { baseline: baseline.tracker, p2p: p2p.tracker },
    goals: {
      ...GOALS,
      offloadMet: offloadPct >= GOALS.offloadMinPct,
      stallsMet: extraStalls <= GOALS.extraStallsMax,
      startupMet: startupRatio !== undefined && startupRatio <= GOALS.startupMaxRatio,
    },
    /** P2P Media Loader 2.3.1's pass against the same baseline (undefined when it did not run). */
    p2pml: p2pml && compareWithBaseline(baseline, p2pml),
    passes: { baseline, p2p, ...(p2pml && { p2pml }) },
    core,
    elapsedSec,
  };
}

export type SwarmBenchResult = ReturnType<typeof summarise>;

/** `…|v;b84976;r426x240;c… s17` → `426x240` (the swarm key's rendition part, see core's renditionKey). */
export function renditionLabel(loadKey: string): string {
  const parts = loadKey.split(' ')[0]?.split(';') ?? [];
  const resolution = parts.find((p) => /^r\d+x\d+$/.test(p));
  const bandwidth = parts.find((p) => /^b\d+$/.test(p));
  const label =
    resolution?.slice(1) ?? (bandwidth ? `${Math.round(Number(bandwidth.slice(1)) / 1000)} kb/s` : 'unknown');
  return parts[0]?.endsWith('|a') ? `audio ${label}` : label;
}

function renditionCounts(viewers: readonly ViewerResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of viewers)
    for (const l of v.loads) {
      if (l.init) continue;
      const label = renditionLabel(l.key);
      out[label] = (out[label] ?? 0) + 1;
    }
  return out;
}
