/** bench:swarm --repeat: the option, and the median and range over runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions } from '../../../bench/swarm/options.js';
import { renderRepeatSummary, summariseRuns } from '../../../bench/swarm/repeat.js';
import { GOALS, type SwarmBenchResult } from '../../../bench/swarm/summary.js';

/** The fields summariseRuns reads, with goals computed as summarise() does. */
function run(offloadPct: number, ratio: number | undefined, extraStalls: number): SwarmBenchResult {
  return {
    offloadPct,
    mediaOffloadPct: offloadPct + 2,
    reachablePct: 86,
    stalls: { extra: extraStalls },
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

  void it('a run without a startup figure is left out of the ratio', () => {
    const s = summariseRuns([run(84, undefined, 0), run(82, 1.2, 0)]);
    assert.deepEqual(s.startupRatio, { median: 1.2, min: 1.2, max: 1.2 });
    assert.equal(s.goals.startupMet, false);
  });
});
