/**
 * `--repeat N`: the same run (same options, same seed) N times, and the spread of its headline figures. On a
 * shared two-core machine one run's startup ratio moves by ±50 % from run to run; the median over runs is the
 * figure to quote, and the range says how far one run can be trusted.
 */
import { GOALS, median, type SwarmBenchResult } from './summary.js';

export interface Spread {
  median: number | undefined;
  min: number | undefined;
  max: number | undefined;
}

function spread(xs: (number | undefined)[]): Spread {
  const s = xs.filter((x): x is number => x !== undefined);
  // The lower median for an even count: the figure quoted is one a run actually produced.
  return { median: median(s), min: s.length ? Math.min(...s) : undefined, max: s.length ? Math.max(...s) : undefined };
}

/**
 * Startup medians over every viewer of every run, per pass. The median of run ratios can land on one quiet run;
 * this weighs each viewer once (a P2P pass 1.41× slower pooled showed as 1.19× on the median of three ratios).
 */
function pooledStartup(runs: readonly SwarmBenchResult[]) {
  const of = (pass: 'baseline' | 'p2p'): number | undefined =>
    median(
      runs.flatMap((r) => r.passes[pass].viewers.flatMap((v) => (v.startupMs === undefined ? [] : [v.startupMs]))),
    );
  const baselineMs = of('baseline');
  const p2pMs = of('p2p');
  const ratio = baselineMs && p2pMs !== undefined ? p2pMs / baselineMs : undefined;
  // The later half of joiners (join order) of every run: newcomers to an established swarm.
  const later = (pass: 'baseline' | 'p2p'): number | undefined =>
    median(
      runs.flatMap((r) => {
        const vs = r.passes[pass].viewers;
        return vs.slice(Math.ceil(vs.length / 2)).flatMap((v) => (v.startupMs === undefined ? [] : [v.startupMs]));
      }),
    );
  const laterBaselineMs = later('baseline');
  const laterP2pMs = later('p2p');
  const laterHalf = {
    baselineMs: laterBaselineMs,
    p2pMs: laterP2pMs,
    ratio: laterBaselineMs && laterP2pMs !== undefined ? laterP2pMs / laterBaselineMs : undefined,
  };
  return { baselineMs, p2pMs, ratio, laterHalf };
}

export function summariseRuns(runs: readonly SwarmBenchResult[]) {
  const offloadPct = spread(runs.map((r) => r.offloadPct));
  const startupRatio = spread(runs.map((r) => r.startupMs.ratio));
  const extraStalls = runs.map((r) => r.stalls.extra);
  return {
    runs: runs.length,
    offloadPct,
    mediaOffloadPct: spread(runs.map((r) => r.mediaOffloadPct)),
    reachablePct: spread(runs.map((r) => r.reachablePct)),
    startupRatio,
    startupMedianMs: {
      baseline: spread(runs.map((r) => r.startupMs.baselineMedian)),
      p2p: spread(runs.map((r) => r.startupMs.p2pMedian)),
    },
    pooledStartup: pooledStartup(runs),
    cdnCopiesPerSegment: spread(runs.map((r) => r.cdnCopiesPerSegment.p2p)),
    uploadWastedPct: spread(runs.map((r) => r.uploadWasted.pct)),
    /** P2P Media Loader's pass, when it ran (`--p2pml`): the same figures over the same runs. */
    p2pml: runs.every((r) => r.p2pml)
      ? {
          offloadPct: spread(runs.map((r) => r.p2pml?.offloadPct)),
          cdnCopiesPerSegment: spread(runs.map((r) => r.p2pml?.cdnCopiesPerSegment)),
          startupRatio: spread(runs.map((r) => r.p2pml?.startupMs.ratio)),
          laterHalfStartupRatio: spread(runs.map((r) => r.p2pml?.laterHalfStartupMs.ratio)),
          extraStalls: runs.map((r) => r.p2pml?.stalls.extra ?? 0),
        }
      : undefined,
    /** Extra stalls (P2P pass − baseline) of each run. */
    extraStalls,
    /** In how many runs each goal was met. */
    runsMeetingGoal: {
      offload: runs.filter((r) => r.goals.offloadMet).length,
      stalls: runs.filter((r) => r.goals.stallsMet).length,
      startup: runs.filter((r) => r.goals.startupMet).length,
    },
    /** Goals on the medians; no run may add stalls. */
    goals: {
      ...GOALS,
      offloadMet: (offloadPct.median ?? 0) >= GOALS.offloadMinPct,
      stallsMet: extraStalls.every((n) => n <= GOALS.extraStallsMax),
      startupMet: startupRatio.median !== undefined && startupRatio.median <= GOALS.startupMaxRatio,
    },
  };
}

export type RepeatSummary = ReturnType<typeof summariseRuns>;

export function renderRepeatSummary(s: RepeatSummary): string {
  const pct = (x: Spread): string =>
    `${x.median?.toFixed(1) ?? '-'} % (${x.min?.toFixed(1) ?? '-'}–${x.max?.toFixed(1) ?? '-'})`;
  const ratio = (x: Spread): string =>
    `${x.median?.toFixed(2) ?? '-'} (${x.min?.toFixed(2) ?? '-'}–${x.max?.toFixed(2) ?? '-'})`;
  const ms = (x: Spread): string => `${x.median?.toFixed(0) ?? '-'} (${x.min?.toFixed(0)}–${x.max?.toFixed(0)})`;
  const met = (ok: boolean, runs: number): string => `${ok ? 'met' : 'NOT met'}, in ${runs} of ${s.runs} runs`;
  return [
    `over ${s.runs} runs (median, range)`,
    `offload                    ${pct(s.offloadPct)}   media ${pct(s.mediaOffloadPct)}   reachable ${pct(s.reachablePct)}` +
      `   goal ≥ ${s.goals.offloadMinPct} %: ${met(s.goals.offloadMet, s.runsMeetingGoal.offload)}`,
    `extra stalls per run       ${s.extraStalls.join(', ')}: ${met(s.goals.stallsMet, s.runsMeetingGoal.stalls)}`,
    `startup ratio              ${ratio(s.startupRatio)}   goal ≤ ${s.goals.startupMaxRatio}: ` +
      met(s.goals.startupMet, s.runsMeetingGoal.startup),
    `startup median ms          baseline ${ms(s.startupMedianMs.baseline)}   p2p ${ms(s.startupMedianMs.p2p)}`,
    `startup over all viewers   baseline ${s.pooledStartup.baselineMs?.toFixed(0) ?? '-'} ms   ` +
      `p2p ${s.pooledStartup.p2pMs?.toFixed(0) ?? '-'} ms   ratio ${s.pooledStartup.ratio?.toFixed(2) ?? '-'}`,
    `  later half of joiners    baseline ${s.pooledStartup.laterHalf.baselineMs?.toFixed(0) ?? '-'} ms   ` +
      `p2p ${s.pooledStartup.laterHalf.p2pMs?.toFixed(0) ?? '-'} ms   ratio ${s.pooledStartup.laterHalf.ratio?.toFixed(2) ?? '-'}`,
    `CDN copies per segment     ${ratio(s.cdnCopiesPerSegment)}   upload wasted ${pct(s.uploadWastedPct)}`,
    ...(s.p2pml
      ? [
          `P2P Media Loader 2.3.1     offload ${pct(s.p2pml.offloadPct)}   CDN copies per segment ` +
            `${ratio(s.p2pml.cdnCopiesPerSegment)}   startup ratio ${ratio(s.p2pml.startupRatio)}   later half ` +
            `${ratio(s.p2pml.laterHalfStartupRatio)}   extra stalls per run ${s.p2pml.extraStalls.join(', ')}`,
        ]
      : []),
  ].join('\n');
}
