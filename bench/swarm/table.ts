/** The human output: per-viewer rows of both passes, totals, ratios against the baseline and the goals. */
import os from 'node:os';
import { renderIntegrity } from './integrity.js';
import type { PassSummary, Percentiles, SwarmBenchResult, ViewerRow } from './summary.js';

const kb = (bytes: number): string => (bytes / 1000).toFixed(0);
const ms = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(0));
const pad = (s: string, w: number): string => s.padStart(w);
const pct = (x: number): string => `${x.toFixed(1)} %`;

function viewerLine(b: ViewerRow | undefined, p: ViewerRow): string {
  const cells = [
    p.id.padEnd(4),
    p.kind.padEnd(7),
    pad(ms(b?.startupMs), 7),
    pad(ms(p.startupMs), 7),
    pad(b ? `${b.stalls}/${b.stallSec.toFixed(1)}` : '-', 9),
    pad(`${p.stalls}/${p.stallSec.toFixed(1)}`, 9),
    pad(kb(b?.originMediaBytes ?? 0), 8),
    pad(kb(p.originMediaBytes), 8),
    pad(kb(p.httpBytes), 7),
    pad(kb(p.p2pBytes), 7),
    pad(p.p2pSharePct.toFixed(0), 6),
    pad(kb(p.uploadBytes), 7),
    pad(String(p.peers), 5),
  ];
  const errors = [...(b?.errors ?? []), ...p.errors];
  return cells.join(' ') + (errors.length ? `  ! ${errors.slice(0, 3).join('; ')}` : '');
}

function loads(l: Partial<Record<string, Percentiles>>): string {
  return (
    Object.entries(l)
      .map(([source, q]) => `${source} ${ms(q?.p50Ms)}/${ms(q?.p95Ms)} (${q?.count ?? 0})`)
      .join(', ') || '-'
  );
}

export function renderTable(r: SwarmBenchResult): string {
  const o = r.options;
  const { baseline, p2p } = r.passes;
  const out: string[] = [];
  out.push(
    `bench:swarm  ${o.player} ${o.stream} (${r.manifest})  ${r.viewers.total} viewers (${r.viewers.real} real, ` +
      `${r.viewers.virtual} virtual)  join spread ${o.joinSpreadMs} ms  ≥ ${o.durationSec} s each  origin ` +
      `${o.originKbps ? `${o.originKbps} kbit/s per connection` : 'unthrottled'} + ${o.originLatencyMs} ms` +
      `${o.originGzip ? ', playlists gzipped' : ', playlists uncompressed'}  seed ${o.seed}`,
  );
  out.push(
    'KB = 1000 bytes; base = HTTP-only pass (same engine, p2pEnabled: false), p2p = P2P pass; startup = player ' +
      'start to first frame (page and bundle load excluded)',
  );
  out.push('id   kind    startup ms      stalls n/s       origin media KB   engine KB (p2p pass)        up KB peers');
  out.push('              base     p2p      base       p2p     base      p2p    http     p2p share%');
  const byId = new Map(baseline.viewers.map((v) => [v.id, v]));
  for (const v of p2p.viewers) out.push(viewerLine(byId.get(v.id), v));
  out.push('');
  out.push(`CDN bytes (origin meter)   baseline ${kb(r.cdnBytes.baseline)} KB   p2p ${kb(r.cdnBytes.p2p)} KB`);
  out.push(
    `offload                    ${pct(r.offloadPct)} (media only ${pct(r.mediaOffloadPct)})   ceiling 1 − 1/N = ${pct(r.ceilingPct)}` +
      ` (reachable ${pct(r.reachablePct)})   goal ≥ ${r.goals.offloadMinPct} %: ${r.goals.offloadMet ? 'met' : 'NOT met'}`,
  );
  out.push(
    `stalls (count / s)         baseline ${r.stalls.baseline.count} / ${r.stalls.baseline.sec.toFixed(1)}   p2p ` +
      `${r.stalls.p2p.count} / ${r.stalls.p2p.sec.toFixed(1)}   extra ${r.stalls.extra}: ${r.goals.stallsMet ? 'met' : 'NOT met'}`,
  );
  for (const [name, pass] of [
    ['baseline', baseline],
    ['p2p', p2p],
  ] as const) {
    const episodes = pass.viewers.flatMap((v) =>
      v.stallEpisodes.map(
        (e) =>
          `${v.id} at ${e.atSec.toFixed(1)} s ${e.cause} ${(e.durationMs / 1000).toFixed(1)} s` +
          ` (${e.bufferAheadSec.toFixed(1)} s buffered; waiting on ` +
          `${e.loadsInFlight.map((l) => `${l.source} asked ${ms(l.askedMs)} got ${ms(l.deliveredMs)} ms`).join(', ') || 'nothing'})`,
      ),
    );
    if (episodes.length > 0) out.push(`  ${name} stalls: ${episodes.join('; ')}`);
  }
  out.push(
    `startup median ms          baseline ${ms(r.startupMs.baselineMedian)}   p2p ${ms(r.startupMs.p2pMedian)}   ratio ` +
      `${r.startupMs.ratio?.toFixed(2) ?? '-'} (goal ≤ ${r.goals.startupMaxRatio}): ${r.goals.startupMet ? 'met' : 'NOT met'}`,
  );
  const lh = r.laterHalfStartupMs;
  out.push(
    `  later half of joiners    baseline ${ms(lh.baselineMedian)}   p2p ${ms(lh.p2pMedian)}   ratio ${lh.ratio?.toFixed(2) ?? '-'}`,
  );
  out.push(
    `first media segment ms     baseline ${ms(r.firstSegmentMs.baselineMedian)}   p2p ${ms(r.firstSegmentMs.p2pMedian)}` +
      `   (median; p2p pass sources: ${fmtCounts(countBy(p2p.viewers.map((v) => v.firstSegmentSource ?? 'none')))})`,
  );
  out.push(`startup phases ms (median)      baseline ${phases(baseline.startupPhases)}`);
  out.push(`  ask → sent → byte → got → play     p2p ${phases(p2p.startupPhases)}`);
  out.push(`main thread before 1st frame     baseline ${busy(baseline)}`);
  out.push(`  long frames / blocking ms (median) p2p ${busy(p2p)}`);
  out.push(`segment load ms p50/p95    baseline ${loads(r.segmentLoadMs.baseline)}`);
  out.push(`  (count)                  p2p      ${loads(r.segmentLoadMs.p2p)}`);
  const h = p2p.httpRepeats;
  out.push(
    `HTTP repeats (p2p)         ${h.repeats} of ${h.downloads} HTTP downloads of ${h.segments} segments, ${kb(h.repeatBytes)} KB:` +
      ` ${h.concurrent} while an earlier one was in flight, ${h.beforeStartup} before the viewer's first frame,` +
      ` ${h.beforeFirstPeer} before its first peer connected`,
  );
  out.push(
    `renditions played          baseline ${fmtCounts(baseline.renditions)}   p2p ${fmtCounts(p2p.renditions)}` +
      ` (media segments; --cap-to-player-size ${r.options.capToPlayerSize === undefined ? "the player's default" : r.options.capToPlayerSize ? 'yes' : 'no'})`,
  );
  out.push(renderIntegrity(o.integrity, o.hashLists, r.integrity));
  out.push(`upload per viewer          ${kb(r.uploadBytesPerViewer)} KB`);
  const w = r.uploadWasted;
  out.push(
    `upload wasted              ${kb(w.bytes)} KB (${pct(w.pct)} of upload): discarded on arrival ${kb(w.discardedBytes)} KB,` +
      ` received by loads cancelled or cut over to HTTP ${kb(w.receivedNotCompletedBytes)} KB`,
  );
  const copies = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(2));
  out.push(
    `CDN copies per segment     baseline ${copies(r.cdnCopiesPerSegment.baseline)}   p2p ${copies(r.cdnCopiesPerSegment.p2p)}` +
      ' (media bytes from the CDN ÷ bytes of the distinct segments played)',
  );
  if (r.p2pml) out.push(...sideBySide(r));
  const t = r.trackerMessages.p2p;
  out.push(`tracker messages (p2p)     ${t.total} total: received ${fmtCounts(t.received)}; sent ${fmtCounts(t.sent)}`);
  const tm = r.passes.p2pml?.tracker;
  if (tm)
    out.push(
      `tracker messages (p2pml)   ${tm.total} total: received ${fmtCounts(tm.received)}; sent ${fmtCounts(tm.sent)}`,
    );
  for (const [name, s] of [
    ['baseline', baseline],
    ['p2p', p2p],
  ] as const) {
    const c = s.consistency;
    out.push(
      `bytes check (${name})`.padEnd(27) +
        ` origin media ${kb(c.originMediaBytes)} KB = engine HTTP ${kb(c.engineHttpBytes)} KB + not read ${kb(c.originNotReadBytes)} KB;` +
        ` P2P uploaded ${kb(c.p2pUploadedBytes)} KB = received ${kb(c.p2pReceivedBytes)} KB + discarded ${kb(c.p2pDiscardedBytes)} KB`,
    );
  }
  const errors = [
    ...baseline.errors.map((e) => `baseline: ${e}`),
    ...p2p.errors.map((e) => `p2p: ${e}`),
    ...(r.passes.p2pml?.errors ?? []).map((e) => `p2pml: ${e}`),
    ...(r.passes.p2pml?.viewers ?? []).flatMap((v) => v.errors.slice(0, 2).map((e) => `p2pml ${v.id}: ${e}`)),
  ];
  for (const e of errors.slice(0, 10)) out.push(`! ${e}`);
  out.push(
    `(core ${r.core}; ${o.concurrentPasses ? 'passes run concurrently; ' : ''}${r.elapsedSec.toFixed(0)} s: baseline pass ${baseline.wallSec.toFixed(0)} s, p2p pass ${p2p.wallSec.toFixed(0)} s;` +
      ` bench event-loop delay p99/max ms: baseline ${loopDelay(baseline)}, p2p ${loopDelay(p2p)})`,
  );
  out.push(
    `(CPU s, Chromium / bench process: baseline ${cpu(baseline)}, p2p ${cpu(p2p)}` +
      `${o.concurrentPasses ? '; Chromium shared by both passes' : ''}; ${os.cpus().length} cores)`,
  );
  return out.join('\n');
}

/** The three passes' headline figures in columns: HTTP only, swarmcast, P2P Media Loader (same viewers, own origins). */
function sideBySide(r: SwarmBenchResult): string[] {
  const m = r.p2pml;
  if (!m) return [];
  const { baseline, p2p } = r.passes;
  const x = (v: number | undefined, digits: number): string => (v === undefined ? '-' : v.toFixed(digits));
  const withRatio = (v: number | undefined, ratio: number | undefined): string =>
    `${ms(v)}${ratio === undefined ? '' : ` (${ratio.toFixed(2)})`}`;
  const row = (name: string, b: string, s: string, p: string): string =>
    `  ${name.padEnd(29)}${b.padStart(14)}${s.padStart(14)}${p.padStart(18)}`;
  return [
    `passes side by side${' '.repeat(12)}${'HTTP only'.padStart(14)}${'swarmcast'.padStart(14)}${`P2PML ${m.library.split(' ')[1] ?? ''}`.padStart(18)}`,
    row('CDN KB', kb(r.cdnBytes.baseline), kb(r.cdnBytes.p2p), kb(m.cdnBytes)),
    row(
      'offload % (media only)',
      '-',
      `${x(r.offloadPct, 1)} (${x(r.mediaOffloadPct, 1)})`,
      `${x(m.offloadPct, 1)} (${x(m.mediaOffloadPct, 1)})`,
    ),
    row(
      'CDN copies per segment',
      x(r.cdnCopiesPerSegment.baseline, 2),
      x(r.cdnCopiesPerSegment.p2p, 2),
      x(m.cdnCopiesPerSegment, 2),
    ),
    row('P2P KB received', '0', kb(p2p.consistency.p2pReceivedBytes), kb(m.p2pBytes)),
    row(
      'stalls n / s',
      `${baseline.stalls} / ${x(baseline.stallSec, 1)}`,
      `${p2p.stalls} / ${x(p2p.stallSec, 1)}`,
      `${m.stalls.count} / ${x(m.stalls.sec, 1)}`,
    ),
    row(
      'startup median ms (ratio)',
      ms(r.startupMs.baselineMedian),
      withRatio(r.startupMs.p2pMedian, r.startupMs.ratio),
      withRatio(m.startupMs.median, m.startupMs.ratio),
    ),
    row(
      '  later half of joiners',
      ms(r.laterHalfStartupMs.baselineMedian),
      withRatio(r.laterHalfStartupMs.p2pMedian, r.laterHalfStartupMs.ratio),
      withRatio(m.laterHalfStartupMs.median, m.laterHalfStartupMs.ratio),
    ),
    row('upload wasted %', '-', x(r.uploadWasted.pct, 1), x(m.uploadWasted.pct, 1)),
    row('HTTP repeats', '-', String(p2p.httpRepeats.repeats), String(m.httpRepeats.repeats)),
  ];
}

function cpu(s: PassSummary): string {
  return `${s.cpuSec.chromium?.toFixed(0) ?? '-'} / ${s.cpuSec.bench.toFixed(0)}`;
}

function loopDelay(s: PassSummary): string {
  return `${s.eventLoopDelayMs.p99.toFixed(0)}/${s.eventLoopDelayMs.max.toFixed(0)}`;
}

function busy(s: PassSummary): string {
  const b = s.mainThreadBeforeStartup;
  if (!b) return '-';
  const top = b.topScripts.map((t) => `${t.script} ${t.ms}`).join(', ');
  return `${ms(b.longFrameMedianMs)} / ${ms(b.blockingMedianMs)}${top ? ` (all viewers, most: ${top})` : ''}`;
}

function phases(s: PassSummary['startupPhases']): string {
  return (
    `${ms(s.firstSegmentRequestedMs)} → ${ms(s.firstSegmentTransferStartMs)} → ${ms(s.firstSegmentFirstByteMs)} → ` +
    `${ms(s.firstSegmentMs)} → ${ms(s.startupMs)}` +
    ` (${s.mediaLoadsBeforeStartup ?? '-'} media segments before playing` +
    `${s.firstPeerMs === undefined ? '' : `; first peer ${ms(s.firstPeerMs)}`})`
  );
}

function fmtCounts(c: Record<string, number>): string {
  return Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
