/**
 * `npm run bench:sim` as people run it, tiny (20 viewers, 20 virtual seconds, about a second of wall time): the
 * table, the HTTP-only baseline beside it and the goal line are printed with figures that parse and agree with
 * each other, and a sweep prints one row per value. Sizes only; the figures' values are bench:sim's own tests'.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figure, runScript } from './run-script.js';

const TINY = ['--viewers', '20', '--duration-sec', '20', '--ramp-sec', '5', '--seed', '3'];
const DEADLINE_MS = 60_000;

/** The cells of the row whose label starts the line (columns are two or more spaces apart). */
function row(out: string, label: string): string[] {
  const line = out.split('\n').find((l) => l.trimStart().startsWith(label));
  assert.ok(line, `no "${label}" row in:\n${out}`);
  return line
    .trim()
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
}
const pct = (cell: string | undefined, context: string): number => {
  const v = figure(cell?.replace(/\s*%$/, ''), context);
  assert.ok(v >= 0 && v <= 100, `${context}: ${v} % outside [0, 100]`);
  return v;
};

void describe('bench:sim smoke run', () => {
  void it('live with the HTTP-only baseline: every figure of both columns and the goal line', async () => {
    const run = await runScript('bench:sim', [...TINY], DEADLINE_MS);
    assert.equal(run.code, 0, `bench:sim failed:\n${run.stderr}`);
    const out = run.stdout;
    assert.match(out, /^bench:sim — 20 viewers, live, 20 s virtual, seed 3/m);
    assert.deepEqual((out.split('\n')[1] ?? '').trim().split(/\s{2,}/), ['P2P on', 'HTTP only (baseline)']);
    const [offload, baseOffload] = row(out, 'offload (P2P / delivered)').map((c, i) => pct(c, `offload ${i}`));
    const [ceiling] = row(out, 'offload ceiling').map((c, i) => pct(c, `ceiling ${i}`));
    const steady = pct(row(out, 'offload after the join ramp')[0], 'offload after the ramp');
    assert.equal(baseOffload, 0, 'the baseline has P2P off');
    assert.ok(offload! > 0 && offload! <= ceiling!, `offload ${offload} % in (0, ceiling ${ceiling} %]`);
    const gb = (label: string): number[] => row(out, label).map((c) => figure(c.replace(/ GB$/, ''), label));
    const [cdn, baseCdn] = gb('CDN bytes');
    const [p2pBytes, baseP2pBytes] = gb('P2P bytes');
    assert.ok(
      gb('delivered to players').every((x) => x > 0),
      'players got media',
    );
    assert.ok(p2pBytes! > 0 && baseP2pBytes === 0, `P2P bytes ${p2pBytes} / ${baseP2pBytes} GB`);
    assert.ok(cdn! < baseCdn!, `P2P on takes fewer CDN bytes (${cdn} GB) than HTTP only (${baseCdn} GB)`);
    for (const stalls of row(out, 'stalls')) assert.ok(Number.isInteger(figure(stalls, 'stalls')));
    for (const startup of row(out, 'startup p50 / p95')) {
      const m = /^(\d+) \/ (\d+) ms \((\d+)\)$/.exec(startup);
      assert.ok(m && Number(m[1]) <= Number(m[2]) && Number(m[3]) > 0, `startup "${startup}"`);
    }
    assert.match(out, /^\s*scheduler actions \(P2P on\): .*\bp2p \w+ \d+/m);
    const goal =
      /^goal: offload >= (\d+) %: over the whole run (met|NOT met) \(([\d.]+) %\), after the join ramp (met|NOT met) \(([\d.]+) %\)$/m.exec(
        out,
      );
    assert.ok(goal, `no goal line in:\n${out}`);
    assert.equal(Number(goal[3]), offload, 'the goal line quotes the table');
    assert.equal(Number(goal[5]), steady, 'the goal line quotes the table');
    assert.equal(goal[2] === 'met', offload! >= Number(goal[1]));
    assert.match(out, /^\(\d+\.\d s wall in all\)$/m);
  });

  void it('a VOD sweep without baseline: one row of figures per value', async () => {
    const run = await runScript(
      'bench:sim',
      [...TINY, '--stream', 'vod', '--baseline', 'off', '--sweep', 'maxPeers=5,10'],
      DEADLINE_MS,
    );
    assert.equal(run.code, 0, `bench:sim failed:\n${run.stderr}`);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^bench:sim sweep of maxPeers — 20 viewers, vod, 20 s virtual/);
    const header = lines[1] ?? '';
    for (const column of ['value', 'offload %', 'steady %', 'ceiling %', 'CDN GB', 'stalls'])
      assert.ok(header.includes(column), `no ${column} column: ${header}`);
    const rows = lines.slice(2, 4).map((l) => l.trim().split(/\s+/));
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['5', '10'],
    );
    for (const r of rows) {
      assert.equal(r.length, rows[0]?.length, 'as many figures in every row');
      r.forEach((cell, i) => figure(cell, `sweep column ${i}`));
      // value, offload %, steady %, ceiling %: in that order.
      const [offload, , ceiling] = [1, 2, 3].map((i) => pct(r[i], `sweep column ${i}`));
      assert.ok(offload! <= ceiling!, r.join(' '));
    }
  });

  void it('rejects a bad option with a readable message and exit code 2', async () => {
    const run = await runScript('bench:sim', ['--viewers', '1'], DEADLINE_MS);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--viewers must be an integer ≥ 2/);
  });
});
