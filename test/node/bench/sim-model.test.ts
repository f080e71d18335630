import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnouncementLog } from '../../../bench/sim/announcements.js';
import { EventQueue } from '../../../bench/sim/event-queue.js';
import { endpoint, Flow } from '../../../bench/sim/network.js';
import { seededRandom } from '../../../bench/sim/random.js';

describe('bench:sim building blocks', () => {
  it('runs events in time order, ties in insertion order, and cancelled ones not at all', async () => {
    const q = new EventQueue();
    const seen: string[] = [];
    q.at(20, () => seen.push('b'));
    q.at(10, () => seen.push('a'));
    q.at(20, () => {
      seen.push('c');
      q.after(0, () => seen.push('d'));
    });
    q.at(31, () => seen.push('late'));
    q.at(15, () => seen.push('cancelled')).cancel();
    await q.runUntil(30);
    assert.deepEqual(seen, ['a', 'b', 'c', 'd']);
    assert.equal(q.nowMs, 30);
  });

  it('shares an uplink equally and re-times transfers when one ends', async () => {
    const q = new EventQueue();
    const up = endpoint(1000, 0); // 1000 B/s upload
    const a = endpoint(0, 10_000);
    const b = endpoint(0, 10_000);
    const done: Record<string, number> = {};
    new Flow(q, up, a, 500, () => (done.a = q.nowMs));
    new Flow(q, up, b, 1500, () => (done.b = q.nowMs));
    await q.runUntil(10_000);
    // Both at 500 B/s until a has its 500 bytes (1 s), then b alone at 1000 B/s for its last 1000 bytes.
    assert.ok(Math.abs(done.a! - 1000) < 1e-6, `a done at ${done.a}`);
    assert.ok(Math.abs(done.b! - 2000) < 1e-6, `b done at ${done.b}`);
    assert.equal(up.ups.size, 0);
  });

  it('keeps the whole bytes of a stopped transfer, limited by the slower side', async () => {
    const q = new EventQueue();
    const cdnToSlow = new Flow(q, undefined, endpoint(0, 200), 10_000, () => assert.fail('must not finish'));
    await q.runUntil(2500);
    assert.equal(cdnToSlow.bytes(), 500);
    assert.equal(cdnToSlow.stop(), 500);
    await q.runUntil(100_000);
    assert.equal(cdnToSlow.bytes(), 500);
    const stuck = new Flow(q, endpoint(0, 0), endpoint(0, 1e6), 100, () => assert.fail('zero upload'));
    await q.runUntil(200_000);
    assert.equal(stuck.stop(), 0);
  });

  it('shows a peer our announcements one latency late, with the wire semantics', () => {
    const log = new AnnouncementLog();
    log.set('s1', 'loading', 1000);
    log.set('s1', 'loading', 1100); // duplicate: nothing sent
    log.set('s1', 'have', 1500);
    log.set('s1', 'none', 3000);
    const at = (t: number): string => log.seenAt('s1', t, 50);
    assert.equal(at(1049), 'none');
    assert.equal(at(1050), 'loading');
    assert.equal(at(1549), 'loading');
    assert.equal(at(1550), 'have');
    assert.equal(at(3050), 'none');
    assert.equal(log.current('s1'), 'none');
    log.prune(9000);
    assert.equal(log.seenAt('s1', 9000, 50), 'none');
    log.set('s2', 'have', 9000);
    log.prune(20_000);
    assert.equal(log.seenAt('s2', 20_000, 50), 'have');
  });

  it('draws the same numbers from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, seededRandom(43)));
  });
});
