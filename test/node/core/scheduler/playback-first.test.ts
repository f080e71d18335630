import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEARLY_DONE_BYTES, plan, type PlanLoad } from '../../../../core/scheduler/plan.js';
import { SEG_BYTES, SEEDING, input, peer, p2pLoad } from './plan-input.js';

void describe('scheduler: playback first', () => {
  void it('urgent segment nobody has → HTTP', () => {
    const a = plan(input({ requested: new Set(['s0']) }));
    assert.deepEqual(a[0], { type: 'http', id: 's0', reason: 'request' });
  });

  void it('urgent segments the player has not asked for yet: only a verifiably fast peer, never speculative HTTP', () => {
    const playback = { positionSec: 0, rate: 1, bufferedEndSec: 4 };
    assert.deepEqual(plan(input({ playback })), []);
    const a = plan(input({ playback, peers: [peer('A', 2_000_000, ['s2'])] }));
    assert.deepEqual(a, [{ type: 'p2p', id: 's2', peerId: 'A', reason: 'urgent' }]);
  });

  void it('urgent segment a fast peer has → P2P (peer verifiably delivers in time)', () => {
    const a = plan(input({ requested: new Set(['s1']), peers: [peer('A', 2_000_000, ['s1'])] }));
    assert.deepEqual(a[0], { type: 'p2p', id: 's1', peerId: 'A', reason: 'request' });
  });

  void it('urgent segment whose peer is too slow (or unmeasured) → HTTP', () => {
    const slow = plan(input({ requested: new Set(['s1']), peers: [peer('A', 50_000, ['s1'])] }));
    assert.deepEqual(slow[0], { type: 'http', id: 's1', reason: 'request' });
    const unknown = plan(input({ requested: new Set(['s1']), peers: [peer('A', undefined, ['s1'])] }));
    assert.deepEqual(unknown[0], { type: 'http', id: 's1', reason: 'request' });
  });

  void it('segment needed now (deadline 0) never waits for a peer', () => {
    const a = plan(input({ requested: new Set(['s0']), peers: [peer('A', 1e9, ['s0'])] }));
    assert.equal(a[0]?.type, 'http');
  });

  void it('prefetch beyond the urgent window → P2P from a peer that announced it, fastest idle peer first', () => {
    const peers = [peer('A', 100_000, ['s5']), peer('B', 900_000, ['s5', 's6']), peer('C', undefined, ['s7'])];
    const a = plan(input({ playback: { positionSec: 0, rate: 1, bufferedEndSec: 12 }, peers }));
    const p2p = a.filter((x) => x.type === 'p2p');
    assert.deepEqual(
      p2p.map((x) => [x.id, x.peerId]),
      [
        ['s5', 'B'],
        ['s7', 'C'],
      ],
      's6 waits: its only holder B is busy with s5',
    );
  });

  void it('stalled P2P download of an urgent segment → HTTP resume; non-urgent stalled → cancelled', () => {
    const stalled = p2pLoad({ lastDataMs: 7_000, receivedBytes: 200_000, sourceBytes: 200_000 });
    const urgent = plan(input({ loads: new Map([['s1', stalled]]), p2pActive: 1, requested: new Set(['s1']) }));
    assert.deepEqual(urgent[0], { type: 'to-http', id: 's1', why: 'stalled' });
    const later = plan(
      input({
        loads: new Map([['s6', stalled]]),
        p2pActive: 1,
        playback: { positionSec: 0, rate: 1, bufferedEndSec: 12 },
      }),
    );
    assert.ok(later.some((x) => x.type === 'cancel' && x.id === 's6' && x.why === 'stalled'));
  });

  void it('P2P download too slow for the deadline → HTTP resume; fast enough → left alone', () => {
    // 10 kB in 1 s for a segment needed in 4 s with 490 kB left.
    const slow = p2pLoad({ startedMs: 9_000, lastDataMs: 9_990, sourceBytes: 10_000, receivedBytes: 10_000 });
    const a = plan(input({ loads: new Map([['s1', slow]]), p2pActive: 1, requested: new Set(['s1']) }));
    assert.deepEqual(a[0], { type: 'to-http', id: 's1', why: 'slow' });
    const fast = p2pLoad({ startedMs: 9_000, lastDataMs: 9_990, sourceBytes: 400_000, receivedBytes: 400_000 });
    const b = plan(input({ loads: new Map([['s1', fast]]), p2pActive: 1, requested: new Set(['s1']) }));
    assert.equal(b.filter((x) => x.id === 's1').length, 0);
  });

  void it('requested but not urgent, and a peer is loading it → waits for the swarm instead of HTTP', () => {
    const playback = { positionSec: 0, rate: 1, bufferedEndSec: 24 };
    const a = plan(input({ requested: new Set(['s6']), playback, peers: [peer('A', 1e6, [], ['s6'])] }));
    assert.deepEqual(
      a.filter((x) => x.id === 's6').map((x) => x.type),
      ['wait'],
    );
  });

  void it('before the player has half the urgent window buffered: one prefetch at a time, no HTTP seeding', () => {
    // s3…s5 lie beyond the urgent window (10 s); the buffer holds 4 s.
    const peers = ['A', 'B', 'C'].map((id, i) => peer(id, 1e6, [`s${i + 3}`]));
    const short = { positionSec: 0, rate: 1, bufferedEndSec: 4 };
    const a = plan(input({ peers, playback: short, settings: SEEDING }));
    assert.deepEqual(
      a.map((x) => x.type),
      ['p2p'],
    );
    const busy = new Map([['s3', p2pLoad()]]);
    assert.deepEqual(plan(input({ peers, playback: short, loads: busy, p2pActive: 1 })), []);
    const long = plan(input({ peers, playback: { positionSec: 0, rate: 1, bufferedEndSec: 12 } }));
    assert.equal(long.filter((x) => x.type === 'p2p').length, 3, 'with a buffer: every idle holder');
  });

  void it('several idle holders: the choice spreads over them (not everyone to the fastest)', () => {
    const peers = ['A', 'B', 'C', 'D'].map((id, i) => peer(id, 1e6 * (i + 1), ['s5']));
    const playback = { positionSec: 0, rate: 1, bufferedEndSec: 12 };
    const chosen = new Set<string>();
    for (let v = 0; v < 40; v++) {
      const a = plan(input({ peers, playback, selfId: `viewer-${v}` }));
      const p2p = a.find((x) => x.type === 'p2p' && x.id === 's5');
      if (p2p?.type === 'p2p') chosen.add(p2p.peerId);
    }
    assert.equal(chosen.size, 4, `holders chosen by 40 viewers: ${[...chosen].join(',')}`);
  });

  void it('bounded concurrency: HTTP and P2P caps are separate and global', () => {
    const peers = ['A', 'B', 'C', 'D', 'E'].map((id, i) => peer(id, 1e6, [`s${i + 4}`]));
    const playback = { positionSec: 0, rate: 1, bufferedEndSec: 12 };
    const a = plan(input({ requested: new Set(['s0', 's1', 's2']), peers, httpActive: 1, p2pActive: 1, playback }));
    assert.equal(a.filter((x) => x.type === 'http').length, 1);
    assert.equal(a.filter((x) => x.type === 'p2p').length, 2);
  });

  void it('a player request pre-empts a speculative (seed) HTTP download when slots are full', () => {
    const seed: PlanLoad = { ...p2pLoad(), source: 'http', reason: 'seed', peerId: undefined };
    const a = plan(
      input({
        loads: new Map([
          ['s7', seed],
          ['s8', seed],
        ]),
        httpActive: 2,
        requested: new Set(['s0']),
      }),
    );
    assert.deepEqual(a.slice(0, 2), [
      { type: 'cancel', id: 's8', why: 'preempted' },
      { type: 'http', id: 's0', reason: 'request' },
    ]);
  });

  void it('a seed with at most NEARLY_DONE_BYTES left is not pre-empted (its bytes are already on the wire)', () => {
    const almost: PlanLoad = {
      ...p2pLoad(),
      source: 'http',
      reason: 'seed',
      peerId: undefined,
      receivedBytes: SEG_BYTES - NEARLY_DONE_BYTES,
    };
    const loads = new Map([
      ['s7', almost],
      ['s8', almost],
    ]);
    const a = plan(input({ loads, httpActive: 2, requested: new Set(['s0']) }));
    assert.deepEqual(a, [], 'the request waits for a free slot');
  });

  void it('failure back-off holds prefetch but not player requests', () => {
    const backoffUntilMs = new Map([['s6', 20_000]]);
    const peers = [peer('A', 1e6, ['s6'])];
    const prefetch = plan(input({ peers, backoffUntilMs, playback: { positionSec: 0, rate: 1, bufferedEndSec: 12 } }));
    assert.equal(prefetch.filter((x) => x.id === 's6').length, 0);
    const requested = plan(input({ peers, backoffUntilMs, requested: new Set(['s6']) }));
    assert.equal(requested.filter((x) => x.id === 's6').length, 1);
  });

  void it('playback rate shortens deadlines: at 2× a segment 8 s ahead is needed in 4 s', () => {
    const peers = [peer('A', 150_000, ['s2'])]; // 150 kB/s × 4 s = 600 kB < 1.5 × 500 kB ≤ 150 kB/s × 8 s
    const a = plan(
      input({ requested: new Set(['s2']), peers, playback: { positionSec: 0, rate: 2, bufferedEndSec: 8 } }),
    );
    assert.equal(a[0]?.type, 'http');
    const b = plan(
      input({ requested: new Set(['s2']), peers, playback: { positionSec: 0, rate: 1, bufferedEndSec: 8 } }),
    );
    assert.equal(b[0]?.type, 'p2p');
  });
});
