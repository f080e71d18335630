import type { SimRun } from './sim.js';
import type { DeliverySource } from './stats.js';

export interface Percentiles {
  count: number;
  p50: number | undefined;
  p95: number | undefined;
}

export interface SimSummary {
  viewers: number;
  /** Every viewer that joined (initial audience + churn replacements). */
  sessions: number;
  virtualSec: number;
  wallSec: number;
  events: number;
  cdnBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
  deliveredBytes: number;
  wastedBytes: number;
  heldAtEndBytes: number;
  /** P2P bytes of the segments handed to players / all bytes handed to players. */
  offloadPct: number;
  /** The same for deliveries after the initial join ramp (churn continues): the steady state. */
  offloadSteadyPct: number;
  /** Best possible offload: every segment crosses the CDN once, every other delivery comes from a peer. */
  offloadCeilingPct: number;
  /** P2P bytes / all downloaded bytes (wasted ones included): the CDN's point of view. */
  p2pShareOfDownloadsPct: number;
  stalls: number;
  stallSec: number;
  watchSec: number;
  /** Stall seconds / watch seconds. */
  stallRatePct: number;
  startupMs: Percentiles;
  /** Mean over delivered segments of how many viewers fetched (some of) it from the CDN, and the worst one. */
  cdnFetchesPerSegment: { mean: number; p95: number | undefined; max: number };
  httpRequests: number;
  /** Integrity checks of peer bytes: CDN bytes and requests (the spot check's Range windows). */
  checkCdnBytes: number;
  checkCdnRequests: number;
  segmentLoadMs: Record<DeliverySource, Percentiles>;
  liveResyncs: number;
  /** Transfers the serving peer was running (this one included) when a P2P transfer began: upload contention. */
  uploadsPerHolder: Percentiles;
  /** Scheduler actions executed, by kind and reason, and peer failures. */
  actions: Record<string, number>;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: undefined, p95: undefined };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { count: s.length, p50: at(0.5), p95: at(0.95) };
}

const pct = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 0);

export function summarize(run: SimRun): SimSummary {
  const c = run.collector;
  const sum = (f: (v: (typeof c.viewers)[number]) => number): number => c.viewers.reduce((a, v) => a + f(v), 0);
  const delivered = sum((v) => v.deliveredBytes);
  let allDeliveries = 0;
  let onceEach = 0;
  const fetches: number[] = [];
  for (const [id, d] of c.deliveries) {
    allDeliveries += d.bytes * d.count;
    onceEach += d.bytes;
    fetches.push(c.cdnFetchers.get(id) ?? 0);
  }
  const fetchStats = percentiles(fetches);
  const cdn = sum((v) => v.cdnBytes);
  const p2p = sum((v) => v.p2pBytes);
  const stallMs = sum((v) => v.stallMs);
  const watchMs = sum((v) => v.watchMs);
  return {
    viewers: run.audience,
    sessions: c.viewers.length,
    virtualSec: run.virtualSec,
    wallSec: run.wallMs / 1000,
    events: run.events,
    cdnBytes: cdn,
    p2pBytes: p2p,
    uploadedBytes: sum((v) => v.uploadedBytes),
    deliveredBytes: delivered,
    wastedBytes: sum((v) => v.wastedBytes),
    heldAtEndBytes: sum((v) => v.heldAtEndBytes),
    offloadPct: pct(
      sum((v) => v.deliveredP2PBytes),
      delivered,
    ),
    offloadSteadyPct: pct(c.steadyP2PBytes, c.steadyDeliveredBytes),
    offloadCeilingPct: pct(allDeliveries - onceEach, allDeliveries),
    p2pShareOfDownloadsPct: pct(p2p, cdn + p2p),
    stalls: sum((v) => v.stalls),
    stallSec: stallMs / 1000,
    watchSec: watchMs / 1000,
    stallRatePct: pct(stallMs, watchMs),
    startupMs: percentiles(c.viewers.flatMap((v) => (v.startupMs === undefined ? [] : [v.startupMs]))),
    cdnFetchesPerSegment: {
      mean: fetches.length > 0 ? fetches.reduce((a, b) => a + b, 0) / fetches.length : 0,
      p95: fetchStats.p95,
      max: fetches.reduce((a, b) => Math.max(a, b), 0),
    },
    httpRequests: sum((v) => v.httpRequests),
    checkCdnBytes: sum((v) => v.checkBytes),
    checkCdnRequests: sum((v) => v.checkRequests),
    segmentLoadMs: {
      http: percentiles(c.loadMs.http),
      p2p: percentiles(c.loadMs.p2p),
      cache: percentiles(c.loadMs.cache),
    },
    liveResyncs: sum((v) => v.liveResyncs),
    uploadsPerHolder: percentiles(c.uploadsAtStart),
    actions: Object.fromEntries([...c.actions].sort((a, b) => b[1] - a[1])),
  };
}
