/** bench:swarm --repeat: the option, and the median and range over runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions } from '../../../bench/swarm/options.js';
import { renderRepeatSummary, summariseRuns } from '../../../bench/swarm/repeat.js';
import { GOALS, type SwarmBenchResult } from '../../../bench/swarm/summary.js';

/** The fields summariseRuns reads, with goals computed as summarise() does. */
function run(
  offloadPct: number,
  ratio: number | undefined,
  extraStalls: number,
  viewerStartups: { baseline: (number | undefined)[]; p2p: (number | undefined)[] } = { baseline: [], p2p: [] },
): SwarmBenchResult {
  const pass = (ms: (number | undefined)[]) => ({ viewers: ms.map((startupMs) => ({ startupMs })) });
  return {
    passes: { baseline: pass(viewerStartups.baseline), p2p: pass(viewerStartups.p2p) },
    offloadPct,
    mediaOffloadPct: offloadPct + 2,
    reachablePct: 86,
    stalls: { extra: extraStalls },
    cdnCopiesPerSegment: { baseline: 10, p2p: 1.3 },
    uploadWasted: { pct: 2 },
    startupMs: { baselineMedian: 1000, p2pMedian: ratio === undefined ? undefined : 1000 * ratio, ratio },
    goals: {
      ...GOALS,
      offloadMet: offloadPct >= GOALS.offloadMinPct,
      stallsMet: extraStalls <= 0,
      startupMet: ratio !== undefined && ratio <= GOALS.startupMaxRatio,
    },
  } as unknown as SwarmBenchResult;
}

void describe('bench:swarm --repeat', () => {
  void it('defaults to one run and takes a positive integer', () => {
    const o = parseOptions(['--repeat', '3']);
    assert.ok(o !== 'help' && o.repeat === 3);
    const d = parseOptions([]);
    assert.ok(d !== 'help' && d.repeat === 1);
    for (const bad of ['0', '1.5', 'x'])
      assert.throws(
        () => parseOptions(['--repeat', bad]),
        (e: unknown) => e instanceof OptionsError,
      );
  });

  void it('goals on the medians (a run that produced it), stalls in every run', () => {
    const s = summariseRuns([run(84, 1.86, 1), run(79, 0.91, 0), run(83, 1.05, 0), run(85, 1.4, 0)]);
    assert.equal(s.runs, 4);
    assert.deepEqual(s.offloadPct, { median: 83, min: 79, max: 85 });
    assert.deepEqual(s.startupRatio, { median: 1.05, min: 0.91, max: 1.86 });
    assert.deepEqual(s.extraStalls, [1, 0, 0, 0]);
    assert.deepEqual(s.runsMeetingGoal, { offload: 3, stalls: 3, startup: 2 });
    assert.equal(s.goals.offloadMet, true);
    assert.equal(s.goals.startupMet, true);
    assert.equal(s.goals.stallsMet, false, 'one run added a stall');
    const text = renderRepeatSummary(s);
    assert.match(text, /over 4 runs/);
    assert.match(text, /startup ratio +1\.05 \(0\.91–1\.86\)/);
    assert.match(text, /extra stalls per run +1, 0, 0, 0: NOT met, in 3 of 4 runs/);
  });

  void it('pools startups over every viewer of every run, per pass, leaving out viewers that never played', () => {
    // Run ratios 0.5 and 2.0 (median of two: the lower, 0.5); pooled, each viewer counts once.
    const s = summariseRuns([
      run(84, 0.5, 0, { baseline: [400, 400, 400], p2p: [200, 200, 200] }),
      run(84, 2.0, 0, { baseline: [500, 500, 500], p2p: [1000, 1000, undefined] }),
    ]);
    assert.deepEqual(
      { ...s.pooledStartup, laterHalf: undefined },
      { baselineMs: 400, p2pMs: 200, ratio: 0.5, laterHalf: undefined },
    );
    const t = summariseRuns([
      run(84, 1, 0, { baseline: [300, 500], p2p: [600, 700] }),
      run(84, 1, 0, { baseline: [400], p2p: [800] }),
    ]);
    assert.deepEqual(
      { ...t.pooledStartup, laterHalf: undefined },
      { baselineMs: 400, p2pMs: 700, ratio: 1.75, laterHalf: undefined },
    );
    assert.match(renderRepeatSummary(t), /startup over all viewers +baseline 400 ms +p2p 700 ms +ratio 1\.75/);
  });

  void it('pools the later half of joiners (join order) of every run apart', () => {
    // Three viewers: the later half is the third; four: the third and fourth.
    const s = summariseRuns([
      run(84, 1, 0, { baseline: [100, 100, 500], p2p: [100, 100, 900] }),
      run(84, 1, 0, { baseline: [100, 100, 600, 600], p2p: [100, 100, 1200, undefined] }),
    ]);
    assert.deepEqual(s.pooledStartup.laterHalf, { baselineMs: 600, p2pMs: 900, ratio: 1.5 });
    assert.match(renderRepeatSummary(s), /later half of joiners +baseline 600 ms +p2p 900 ms +ratio 1\.50/);
  });

  void it('a run without a startup figure is left out of the ratio', () => {
    const s = summariseRuns([run(84, undefined, 0), run(82, 1.2, 0)]);
    assert.deepEqual(s.startupRatio, { median: 1.2, min: 1.2, max: 1.2 });
    assert.equal(s.goals.startupMet, false);
  });
});
