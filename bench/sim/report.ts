import type { EngineSettings } from '../../core/settings.js';
import type { SimOptions } from './options.js';
import type { Percentiles, SimSummary } from './summary.js';

const GOAL_OFFLOAD_PCT = 97;

const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
const ms = (p: Percentiles): string =>
  p.count === 0 ? '-' : `${(p.p50 ?? 0).toFixed(0)} / ${(p.p95 ?? 0).toFixed(0)} ms (${p.count})`;

function describe(o: SimOptions, overrides: Partial<EngineSettings>): string {
  const set = Object.entries(overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return (
    `${o.viewers} viewers, ${o.stream}, ${o.durationSec} s virtual, seed ${o.seed}, ${o.bitrateKbps} kb/s, ` +
    `${o.churnPerMinPct} %/min churn, upload median ${o.uploadMedianMbps} Mbit/s` +
    (set.length > 0 ? `, settings: ${set.join(' ')}` : '')
  );
}

export function printRun(
  o: SimOptions,
  overrides: Partial<EngineSettings>,
  p2p: SimSummary,
  baseline: SimSummary | undefined,
): void {
  console.log(`bench:sim — ${describe(o, overrides)}`);
  const rows: [string, (s: SimSummary) => string][] = [
    ['viewer sessions', (s) => String(s.sessions)],
    ['wall time', (s) => `${s.wallSec.toFixed(1)} s (${(s.events / 1e6).toFixed(1)} M events)`],
    ['CDN bytes', (s) => gb(s.cdnBytes)],
    ['P2P bytes', (s) => gb(s.p2pBytes)],
    ['delivered to players', (s) => gb(s.deliveredBytes)],
    ['wasted / held at end', (s) => `${gb(s.wastedBytes)} / ${gb(s.heldAtEndBytes)}`],
    ['offload (P2P / delivered)', (s) => `${s.offloadPct.toFixed(2)} %`],
    ['offload after the join ramp', (s) => `${s.offloadSteadyPct.toFixed(2)} %`],
    ['offload ceiling', (s) => `${s.offloadCeilingPct.toFixed(2)} %`],
    ['P2P share of downloads', (s) => `${s.p2pShareOfDownloadsPct.toFixed(2)} %`],
    ['stalls', (s) => String(s.stalls)],
    ['stall seconds', (s) => s.stallSec.toFixed(1)],
    ['stall rate (stall s / watch s)', (s) => `${s.stallRatePct.toFixed(3)} %`],
    ['startup p50 / p95', (s) => ms(s.startupMs)],
    [
      'CDN fetches per segment',
      (s) =>
        `mean ${s.cdnFetchesPerSegment.mean.toFixed(1)}, p95 ${s.cdnFetchesPerSegment.p95 ?? '-'}, max ${s.cdnFetchesPerSegment.max}`,
    ],
    ['HTTP requests', (s) => String(s.httpRequests)],
    ['integrity checks (CDN)', (s) => `${gb(s.checkCdnBytes)} in ${s.checkCdnRequests} requests`],
    ['load time http p50 / p95', (s) => ms(s.segmentLoadMs.http)],
    ['load time p2p p50 / p95', (s) => ms(s.segmentLoadMs.p2p)],
    ['load time cache p50 / p95', (s) => ms(s.segmentLoadMs.cache)],
    ['live resyncs', (s) => String(s.liveResyncs)],
    [
      'holder uploads at P2P start',
      (s) =>
        s.uploadsPerHolder.count === 0
          ? '-'
          : `p50 ${s.uploadsPerHolder.p50 ?? '-'}, p95 ${s.uploadsPerHolder.p95 ?? '-'}`,
    ],
  ];
  const w = 32;
  const cw = 34;
  console.log(`${''.padEnd(w)}${'P2P on'.padEnd(cw)}${baseline ? 'HTTP only (baseline)' : ''}`);
  for (const [label, f] of rows) {
    console.log(`  ${label.padEnd(w - 2)}${f(p2p).padEnd(cw)}${baseline ? f(baseline) : ''}`);
  }
  const actions = Object.entries(p2p.actions).map(([k, n]) => `${k} ${n}`);
  console.log(`  scheduler actions (P2P on): ${actions.join(', ')}`);
  // Both: the whole run carries every session's start-up over HTTP, which a 30 s flash crowd in a 180 s run weighs
  // far more than an event of realistic length (bench/sim/README.md, "Why the whole 180 s run stays under 97 %").
  const verdict = (pct: number): string => `${pct >= GOAL_OFFLOAD_PCT ? 'met' : 'NOT met'} (${pct.toFixed(2)} %)`;
  console.log(
    `goal: offload >= ${GOAL_OFFLOAD_PCT} %: over the whole run ${verdict(p2p.offloadPct)}, ` +
      `after the join ramp ${verdict(p2p.offloadSteadyPct)}`,
  );
}

export function printSweep(
  o: SimOptions,
  overrides: Partial<EngineSettings>,
  key: string,
  rows: { value: number | boolean; summary: SimSummary }[],
  baseline: SimSummary | undefined,
): void {
  console.log(`bench:sim sweep of ${key} — ${describe(o, overrides)}`);
  const head = [
    'value',
    'offload %',
    'steady %',
    'ceiling %',
    'CDN GB',
    'fetch/seg',
    'stalls',
    'stall s',
    'stall rate %',
    'wall s',
  ];
  console.log(head.map((h) => h.padStart(13)).join(''));
  const line = (label: string, s: SimSummary): string =>
    [
      label,
      s.offloadPct.toFixed(2),
      s.offloadSteadyPct.toFixed(2),
      s.offloadCeilingPct.toFixed(2),
      (s.cdnBytes / 1e9).toFixed(2),
      s.cdnFetchesPerSegment.mean.toFixed(2),
      String(s.stalls),
      s.stallSec.toFixed(1),
      s.stallRatePct.toFixed(3),
      s.wallSec.toFixed(1),
    ]
      .map((c) => c.padStart(13))
      .join('');
  for (const r of rows) console.log(line(String(r.value), r.summary));
  if (baseline) console.log(line('HTTP only', baseline));
}
