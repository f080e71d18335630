/**
 * `npm run bench:tracker` as people run it, tiny: both load models (closed loop and paced) against our tracker
 * and bittorrent-tracker, 20 connections and sub-second windows. Each table has a row per tracker whose figures
 * parse and agree (every connection up, responses = announces + offers, p50 ≤ p99), and each mode ends with its
 * ratio line. Timings are printed, never asserted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { figure, runScript } from './run-script.js';

const CONNS = 20;
const TINY = [
  '--mode',
  'both',
  '--targets',
  'swarmcast,bittorrent-tracker',
  '--conns',
  String(CONNS),
  '--conns-per-swarm',
  '10',
  '--peers',
  String(CONNS),
  '--warmup-sec',
  '0',
  '--duration-sec',
  '0.5',
  '--interval-sec',
  '0.5',
  '--sources',
  '2',
];
const TRACKERS = ['swarmcast', 'bittorrent-tracker 10.0.12'];

/** The rows of the markdown table under `## <mode>`, by their first cell. */
function table(out: string, mode: string): Map<string, string[]> {
  const section = out.split(`\n## ${mode}\n`)[1];
  assert.ok(section, `no "## ${mode}" section in:\n${out}`);
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').slice(2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    rows.set(cells[0] ?? '', cells.slice(1));
  }
  assert.deepEqual([...rows.keys()], TRACKERS, `${mode}: a row per tracker`);
  return rows;
}

/** "p50/p99" → both figures, p50 ≤ p99. */
function quantiles(cell: string | undefined, context: string): void {
  const [p50, p99] = (cell ?? '').split('/').map((x) => figure(x, context));
  assert.ok(p50! >= 0 && p50! <= p99!, `${context}: ${cell}`);
}

function ratioLine(section: string, mode: string): void {
  const m = /^ratio swarmcast \/ bittorrent-tracker: responses\/s (\S+)x, per core (\S+)x, RSS (\S+)x$/m.exec(section);
  assert.ok(m, `${mode}: no ratio line`);
  for (const r of m.slice(1)) assert.ok(figure(r, `${mode} ratio`) > 0, `${mode} ratio ${r}`);
}

void describe('bench:tracker smoke run', () => {
  void it('closed loop and paced, both trackers: tables and ratios with figures that add up', async () => {
    const run = await runScript('bench:tracker', TINY, 120_000);
    assert.equal(run.code, 0, `bench:tracker failed:\n${run.stderr}`);
    const out = run.stdout;
    assert.match(out, /^# tracker benchmark — \d+ cores/m);

    for (const [name, c] of table(out, 'closed')) {
      const [conns, announces, offers, all, cores, perCore, offer, rss] = c;
      assert.equal(figure(conns, `${name} conns`), CONNS, `${name}: every connection up`);
      const a = figure(announces, `${name} announce resp/s`);
      const o = figure(offers, `${name} offers/s`);
      assert.ok(a > 0 && o > 0, `${name}: the closed loop ran (${a} announces/s, ${o} offers/s)`);
      assert.ok(Math.abs(figure(all, `${name} all responses/s`) - (a + o)) <= 1, `${name}: all = announces + offers`);
      assert.ok(figure(cores, `${name} cores`) > 0 && figure(perCore, `${name} per core`) > 0);
      quantiles(offer, `${name} offer latency`);
      assert.ok(figure(rss, `${name} RSS`) > 0);
    }
    ratioLine(out.split('\n## closed\n')[1]!.split('\n## ')[0]!, 'closed');

    for (const [name, c] of table(out, 'paced')) {
      const [peers, idle, rss, kbPerPeer, announces, offers, answers, cores, offer, answer, errors] = c;
      assert.equal(peers, `${CONNS} (0)`, `${name}: every peer up, none failed`);
      for (const [label, cell] of Object.entries({ idle, rss, kbPerPeer, cores }))
        assert.ok(figure(cell, `${name} ${label}`) >= 0);
      assert.ok(figure(announces, `${name} announces/s`) > 0, `${name}: peers announced`);
      assert.ok(figure(offers, `${name} offers/s`) > 0 && figure(answers, `${name} answers/s`) > 0, `${name}: relayed`);
      quantiles(offer, `${name} offer latency`);
      quantiles(answer, `${name} answer latency`);
      assert.equal(figure(errors, `${name} errors/s`), 0);
    }
    ratioLine(out.split('\n## paced\n')[1]!, 'paced');
  });
});
