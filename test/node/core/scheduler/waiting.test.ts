import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchRank, plan } from '../../../../core/scheduler/plan.js';
import { SETTINGS, segments, input, peer, p2pLoad } from './plan-input.js';

void describe('scheduler: time in hand before HTTP (the live edge)', () => {
  // 500 kB at 1 MB/s × 1.5 safety = 750 ms of HTTP; s1 is needed in 4 s → 4000 − 750 − 1500 margin = 1750 ms in hand.
  const live = {
    httpBytesPerSec: 1e6,
    requested: new Set(['s1']),
    requestedSinceMs: new Map([['s1', 10_000]]),
    playback: { positionSec: 0, rate: 1, bufferedEndSec: 4 },
  };
  /** `ms` later, the playhead having moved on at rate 1 (the time in hand shrinks with it). */
  const after = (ms: number) => ({
    nowMs: 10_000 + ms,
    playback: { positionSec: ms / 1000, rate: 1, bufferedEndSec: 0 },
  });

  void it('a requested segment nobody has is held back for its share of the hold, then HTTP', () => {
    const peers = [peer('A', undefined, [])];
    // Hold = rank × min(p2pWaitMaxMs, half the time in hand) = 0.43 × min(8000, 875).
    const untilMs = Math.ceil(10_000 + fetchRank('self', 's1') * 875);
    const held = plan(input({ ...live, peers }));
    assert.equal(held.length, 1);
    assert.equal(held[0]?.type === 'wait' && Math.ceil(held[0].untilMs), untilMs);
    const later = plan(input({ ...live, peers, nowMs: untilMs }));
    assert.deepEqual(later[0], { type: 'http', id: 's1', reason: 'request' });
  });

  void it('the hold is at most half the time in hand; without time in hand, peers or p2pWaitMaxMs, HTTP at once', () => {
    const peers = [peer('A', undefined, [])];
    const last = { ...live, selfId: 'v4' }; // rank 0.98: the last in the queue
    const held = plan(input({ ...last, peers }));
    assert.equal(held.length, 1);
    assert.ok(held[0]?.type === 'wait' && held[0].untilMs <= 10_000 + 1750 / 2);
    const gone = plan(input({ ...last, peers, ...after(1800) }));
    assert.equal(gone[0]?.type, 'http', 'past the slack: HTTP even though the hold share is not over');
    const noBuffer = plan(input({ ...last, peers, playback: { positionSec: 0, rate: 1, bufferedEndSec: 0 } }));
    assert.equal(noBuffer[0]?.type, 'http', 'nothing buffered (startup): the player would run dry at once');
    const alone = plan(input({ ...last }));
    assert.equal(alone[0]?.type, 'http', 'no connected peer and a short buffer (startup): nobody to wait for');
    const filling = plan(
      input({ ...last, requested: new Set(['s4']), playback: { positionSec: 0, rate: 1, bufferedEndSec: 16 } }),
    );
    assert.equal(filling[0]?.type, 'wait', 'no peer yet but urgentWindowSec buffered: the burst waits for peers');
    const off = plan(input({ ...last, peers, settings: { ...SETTINGS, p2pWaitMaxMs: 0 } }));
    assert.equal(off[0]?.type, 'http', 'p2pWaitMaxMs 0 disables the hold');
  });

  void it('a peer that is fetching it is waited for until the time in hand runs out', () => {
    const peers = [peer('A', undefined, [], ['s1'])];
    assert.deepEqual(plan(input({ ...live, peers })), [{ type: 'wait', id: 's1', untilMs: 11_750 }]);
    assert.equal(plan(input({ ...live, peers, ...after(1800) }))[0]?.type, 'http');
  });

  void it('an unmeasured peer that has it is tried while time is in hand; a measured slow one is not', () => {
    const tried = plan(input({ ...live, peers: [peer('A', undefined, ['s1'])] }));
    assert.deepEqual(tried, [{ type: 'p2p', id: 's1', peerId: 'A', reason: 'request' }]);
    const slow = plan(input({ ...live, peers: [peer('A', 10_000, ['s1'])] }));
    assert.notEqual(slow[0]?.type, 'p2p');
  });

  void it('a trial transfer from an unmeasured peer is kept while time is in hand, then resumed over HTTP', () => {
    const trial = p2pLoad({ reason: 'request', startedMs: 9_800, lastDataMs: 9_800 });
    const peers = [peer('A', undefined, ['s1'])];
    const kept = plan(input({ ...live, peers, loads: new Map([['s1', trial]]), p2pActive: 1 }));
    assert.equal(kept.filter((x) => x.id === 's1').length, 0);
    const late = { ...trial, startedMs: 11_600, lastDataMs: 11_600 };
    const cut = plan(input({ ...live, peers, loads: new Map([['s1', late]]), p2pActive: 1, ...after(1800) }));
    assert.deepEqual(cut[0], { type: 'to-http', id: 's1', why: 'slow' });
  });
});

void describe('scheduler: a newcomer filling its first buffer', () => {
  // No connected peer yet; the player asks for s2 having been handed s0 and s1 (stored; its buffered range lags).
  const stored = new Set(['s0', 's1']);
  const burst = {
    httpBytesPerSec: 1e6,
    requested: new Set(['s2']),
    requestedSinceMs: new Map([['s2', 10_000]]),
    playback: { positionSec: 0, rate: 1, bufferedEndSec: 0 },
    isStored: (id: string) => stored.has(id),
    // Late in the queue for s2, so its hold share is long enough to see.
    selfId: Array.from({ length: 50 }, (_, i) => `v${i}`).find((id) => fetchRank(id, 's2') > 0.5) ?? '',
  };

  void it('waits for peers it is connecting to once half the urgent window is delivered', () => {
    const a = plan(input({ ...burst, peersConnecting: 1 }));
    // A wait within its hold share (half the time in hand at most).
    assert.ok(a[0]?.type === 'wait' && a[0].untilMs <= 10_000 + (8000 - 750 - 1500) / 2, JSON.stringify(a));
  });

  void it('goes to HTTP at once with nobody connecting, or before half the urgent window is there', () => {
    assert.deepEqual(plan(input({ ...burst, peersConnecting: 0 }))[0], { type: 'http', id: 's2', reason: 'request' });
    const early = { ...burst, requested: new Set(['s1']), requestedSinceMs: new Map([['s1', 10_000]]) };
    const one = plan(input({ ...early, isStored: (id: string) => id === 's0', peersConnecting: 1 }));
    assert.deepEqual(one[0], { type: 'http', id: 's1', reason: 'request' }, '4 s delivered: still startup');
  });

  void it('does not hold the newest listed segment (a live edge) for peers still connecting', () => {
    // The same request as above, with s2 the last segment of the playlist window.
    const atEdge = plan(input({ ...burst, segments: segments.slice(0, 3), peersConnecting: 1 }));
    assert.deepEqual(atEdge[0], { type: 'http', id: 's2', reason: 'request' });
  });

  void it('delivered segments count as buffered: a peer fetching the next one is waited for', () => {
    const peers = [peer('A', undefined, [], ['s2'])];
    const a = plan(input({ ...burst, peers }));
    assert.deepEqual(a, [{ type: 'wait', id: 's2', untilMs: 10_000 + 8000 - 750 - 1500 }]);
    const unseen = plan(input({ ...burst, peers, isStored: () => false }));
    assert.equal(unseen[0]?.type, 'http', 'without them the player looks empty: HTTP at once');
  });
});

void describe("scheduler: the player's own request timer", () => {
  // 24 s buffered ahead and the player's timer at 3 s (VHS: 1.5 × a 2 s target duration): the timer, not the
  // buffer, bounds the wait. 500 kB at 1 MB/s × 1.5 = 750 ms of HTTP and PLAYER_TIMER_MARGIN_MS (500 ms; the
  // timer is exact, so not deadlineMarginMs) → 1750 ms in hand.
  const timed = {
    httpBytesPerSec: 1e6,
    requested: new Set(['s6']),
    requestedSinceMs: new Map([['s6', 10_000]]),
    playerGiveUpMs: new Map([['s6', 13_000]]),
    playback: { positionSec: 0, rate: 1, bufferedEndSec: 24 },
  };

  void it('a peer fetching it is waited for only until the timer leaves just enough for HTTP', () => {
    const peers = [peer('A', undefined, [], ['s6'])];
    assert.deepEqual(plan(input({ ...timed, peers })), [{ type: 'wait', id: 's6', untilMs: 11_750 }]);
    assert.deepEqual(plan(input({ ...timed, peers, nowMs: 11_800 }))[0], { type: 'http', id: 's6', reason: 'request' });
    const untimed = plan(input({ ...timed, peers, playerGiveUpMs: new Map() }));
    assert.ok(untimed[0]?.type === 'wait' && untimed[0].untilMs > 20_000, 'without a timer the buffer bounds it');
  });

  void it('the hold for a segment nobody has ends before the timer does', () => {
    const peers = [peer('A', undefined, [])];
    for (const selfId of ['self', 'v4', 'v9']) {
      const a = plan(input({ ...timed, peers, selfId }));
      assert.ok(a[0]?.type === 'http' || (a[0]?.type === 'wait' && a[0].untilMs <= 11_750), JSON.stringify(a));
    }
  });

  void it('a peer transfer that cannot end before the timer is resumed over HTTP, though the buffer is long', () => {
    const peers = [peer('A', 100_000, ['s6'])];
    const running = p2pLoad({ reason: 'request', startedMs: 10_000, lastDataMs: 11_900, sourceBytes: 100_000 });
    const loads = new Map([['s6', { ...running, receivedBytes: 100_000 }]]);
    // 100 kB in 2 s = 50 kB/s; 400 kB left need 8 s, the timer leaves 1 s.
    const a = plan(input({ ...timed, peers, loads, p2pActive: 1, nowMs: 12_000 }));
    assert.deepEqual(a[0], { type: 'to-http', id: 's6', why: 'slow' });
    const untimed = plan(input({ ...timed, peers, loads, p2pActive: 1, nowMs: 12_000, playerGiveUpMs: new Map() }));
    assert.equal(untimed.filter((x) => x.id === 's6').length, 0, 'without a timer the transfer goes on');
  });
});
