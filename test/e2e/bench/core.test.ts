/**
 * `npm run bench:core` as people run it, tiny (1 MiB segments, 3 timed repetitions): two engines in Chromium meet
 * through the tracker and the receiving one loads every repetition from its peer (the bench fails otherwise), and
 * the printed table's figures parse and agree: a throughput per run, medians and bests from those runs, overheads
 * from the medians and bests, the goal lines' verdicts from the figures they quote. Never the timings themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figure, runScript } from '../../node/bench/run-script.js';

const REPS = 3;
const GOAL_KB = 12;
const REFERENCE_KB = 42;

/** The text after `label` on its line, split on runs of two or more spaces. */
function after(out: string, label: string): string[] {
  const line = out.split('\n').find((l) => l.trimStart().startsWith(label));
  assert.ok(line, `no "${label}" line in:\n${out}`);
  return line
    .slice(line.indexOf(label) + label.length)
    .trim()
    .split(/\s{2,}/);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** "median best [r1, r2, …]": the runs, and the median and best they give (to the printed precision). */
function throughputRow(out: string, label: string): { median: number; best: number } {
  const [med, best, list] = after(out, label);
  const runs = (/^\[(.*)\]$/.exec(list ?? '')?.[1] ?? '').split(', ').map((x) => figure(x, `${label} run`));
  assert.equal(runs.length, REPS, `${label}: a figure per timed run`);
  assert.ok(
    runs.every((x) => x > 0),
    `${label}: ${runs.join(', ')}`,
  );
  const row = { median: figure(med, `${label} median`), best: figure(best, `${label} best`) };
  assert.ok(Math.abs(row.median - median(runs)) <= 0.051, `${label}: median ${row.median} of ${runs.join(', ')}`);
  assert.equal(row.best, Math.max(...runs), `${label}: best of ${runs.join(', ')}`);
  return row;
}

/** "met" exactly when the figure is within the goal (unless it is printed too close to the goal to tell). */
function verdict(printed: string | undefined, value: number, goal: number): void {
  if (Math.abs(value - goal) >= 0.05) assert.equal(printed === 'met', value <= goal, `${value} against ${goal}`);
}

void describe('bench:core smoke run', () => {
  void it('P2P between two engines against a raw data channel, and the bundle size: figures that agree', async () => {
    const run = await runScript('bench:core', ['--size-mib', '1', '--reps', String(REPS)], 180_000);
    assert.equal(run.code, 0, `bench:core failed:\n${run.stderr}\n${run.stdout}`);
    const out = run.stdout;
    assert.match(out, new RegExp(`^core P2P throughput: 1 MiB segment, \\d+-byte messages, ${REPS} reps$`, 'm'));
    const p2p = throughputRow(out, 'engine A -> engine B (P2P)');
    const raw = throughputRow(out, 'raw RTCDataChannel');
    const [overMedian, overBest] = after(out, 'overhead %').map((x) => figure(x, 'overhead'));
    const overhead = (a: number, b: number): number => (1 - a / b) * 100;
    // Printed to 0.1, as are the throughputs it is recomputed from: equal within those roundings.
    const tolerance = (a: number, b: number): number => 0.05 + 100 * (0.05 / b + (0.05 * a) / b ** 2) + 1e-9;
    assert.ok(Math.abs(overMedian! - overhead(p2p.median, raw.median)) <= tolerance(p2p.median, raw.median));
    assert.ok(Math.abs(overBest! - overhead(p2p.best, raw.best)) <= tolerance(p2p.best, raw.best));
    const goal = /^ {2}overhead % \(median of paired runs\) +(-?[\d.]+) +goal <= (\d+) %: (met|NOT met)$/m.exec(out);
    assert.ok(goal, `no overhead goal line in:\n${out}`);
    assert.ok(figure(goal[1], 'paired overhead') < 100, 'P2P delivered in finite time');
    verdict(goal[3], Number(goal[1]), Number(goal[2]));

    assert.match(out, /^core bundle \(swarmcast\.min\.js, min\+gzip\)$/m);
    const size = /^ {2}size +([\d.]+) KB +\(min ([\d.]+) KB\)$/m.exec(out);
    assert.ok(size, `no bundle size line in:\n${out}`);
    const [gzipKb, minKb] = [figure(size[1], 'gzip KB'), figure(size[2], 'min KB')];
    assert.ok(gzipKb > 0 && gzipKb < minKb, `gzip ${gzipKb} KB < min ${minKb} KB`);
    const vsGoal = new RegExp(`^ {2}vs goal ${GOAL_KB}\\.0 KB +([\\d.]+) x +(met|NOT met)$`, 'm').exec(out);
    assert.ok(vsGoal, `no bundle goal line in:\n${out}`);
    assert.ok(Math.abs(figure(vsGoal[1], 'ratio to goal') - gzipKb / GOAL_KB) <= 0.01);
    verdict(vsGoal[2], gzipKb, GOAL_KB);
    const vsRef = new RegExp(`^ {2}vs reference ${REFERENCE_KB}\\.0 KB +([\\d.]+) x$`, 'm').exec(out);
    assert.ok(vsRef && Math.abs(figure(vsRef[1], 'ratio to reference') - gzipKb / REFERENCE_KB) <= 0.01);
  });
});
