import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEviction } from '../../../core/storage/eviction.js';
import { MemoryStorage } from '../../../core/storage/memory.js';
import { storageKey, type StoredSegmentMeta } from '../../../core/storage/types.js';

const meta = (swarm: string, i: number, storedAtMs = 0, bytes = 100): StoredSegmentMeta => ({
  key: storageKey(swarm, `t${i}`),
  swarmKey: swarm,
  segmentId: `t${i}`,
  startSec: i * 4,
  durationSec: 4,
  bytes,
  storedAtMs,
});

const base = {
  nowMs: 1000,
  budgetBytes: 10_000,
  ttlMs: 60_000,
  positionSecBySwarm: new Map([['A', 20]]),
  liveIdsBySwarm: new Map<string, Set<string>>(),
};
const ids = (keys: string[]): string[] => keys.map((k) => k.split('\n').join(':'));

void describe('storage', () => {
  void it('memory store: put/get/has/delete/list/usage', async () => {
    const s = new MemoryStorage();
    await s.put(meta('A', 1), new Uint8Array([1, 2, 3]));
    await s.put(meta('A', 2), new Uint8Array(10));
    assert.deepEqual(await s.get(storageKey('A', 't1')), new Uint8Array([1, 2, 3]));
    assert.equal(await s.has(storageKey('A', 't2')), true);
    assert.equal(await s.usage(), 13);
    await s.put(meta('A', 2), new Uint8Array(4)); // replace
    assert.equal(await s.usage(), 7);
    await s.delete(storageKey('A', 't1'));
    assert.equal(await s.get(storageKey('A', 't1')), undefined);
    assert.deepEqual(
      (await s.list()).map((m) => [m.segmentId, m.bytes]),
      [['t2', 4]],
    );
  });

  void it('under budget: nothing evicted (segments behind the playhead keep serving peers)', () => {
    const metas = Array.from({ length: 10 }, (_, i) => meta('A', i));
    assert.deepEqual(planEviction(metas, base), []);
  });

  void it('over budget: behind the playhead first (oldest first), then farthest ahead', () => {
    const metas = Array.from({ length: 10 }, (_, i) => meta('A', i)); // starts 0..36 s, playhead 20 s
    assert.deepEqual(ids(planEviction(metas, { ...base, budgetBytes: 700 })), ['A:t0', 'A:t1', 'A:t2']);
    assert.deepEqual(ids(planEviction(metas, { ...base, budgetBytes: 300 })), [
      'A:t0',
      'A:t1',
      'A:t2',
      'A:t3',
      'A:t4',
      'A:t9',
      'A:t8',
    ]);
  });

  void it('inactive swarms are evicted before the active one; pinned keys survive', () => {
    const metas = [meta('A', 1), meta('B', 8), meta('A', 9)];
    assert.deepEqual(ids(planEviction(metas, { ...base, budgetBytes: 200 })), ['B:t8']);
    const pinned = new Set([storageKey('B', 't8')]);
    assert.deepEqual(ids(planEviction(metas, { ...base, budgetBytes: 200, pinned })), ['A:t1']);
  });

  void it('TTL expiry and live window eviction happen regardless of the budget', () => {
    const metas = [meta('A', 5, 0), meta('A', 6, 900), meta('L', 1, 900), meta('L', 2, 900)];
    const out = planEviction(metas, {
      ...base,
      ttlMs: 500,
      liveIdsBySwarm: new Map([['L', new Set(['t2', 't3'])]]),
    });
    assert.deepEqual(ids(out), ['A:t5', 'L:t1']);
  });
});
