import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plan, THIN_LINK_MEDIA_RATIO, type PlanLoad } from '../../../../core/scheduler/plan.js';
import { SEG_BYTES, SEEDING, input, peer, p2pLoad } from './plan-input.js';

void describe('scheduler: a link too thin for two transfers', () => {
  // The test segments carry 125 000 B/s of media; a link under twice that is thin.
  const mediaBytesPerSec = SEG_BYTES / 4;
  const thin = { httpBytesPerSec: mediaBytesPerSec * (THIN_LINK_MEDIA_RATIO - 0.5) };
  const ample = { httpBytesPerSec: mediaBytesPerSec * (THIN_LINK_MEDIA_RATIO + 1) };
  const playback = { positionSec: 0, rate: 1, bufferedEndSec: 12 };
  const httpLoad: PlanLoad = { ...p2pLoad(), source: 'http', peerId: undefined, reason: 'request' };
  const waiting = { playback, requested: new Set(['s3']), loads: new Map([['s3', httpLoad]]), httpActive: 1 };
  const holder = [peer('A', 1e6, ['s4', 's5'])];

  void it('prefetches nothing while a segment playback waits for is loading', () => {
    assert.deepEqual(plan(input({ ...waiting, ...thin, peers: holder })), []);
    const a = plan(input({ ...waiting, ...ample, peers: holder }));
    assert.deepEqual(
      a.map((x) => x.id),
      ['s4'],
      'an ample link prefetches beside it (one at a time: holder A is then busy)',
    );
  });

  void it('prefetches one segment at a time when playback waits for none, and never seeds', () => {
    const a = plan(input({ playback, ...thin, peers: holder }));
    assert.deepEqual(a, [{ type: 'p2p', id: 's4', peerId: 'A', reason: 'prefetch' }]);
    const seeds = plan(input({ settings: SEEDING, playback, ...thin, peers: [peer('A', 1e6, [])] }));
    assert.deepEqual(seeds, []);
    const ampleSeeds = plan(input({ settings: SEEDING, playback, ...ample, peers: [peer('A', 1e6, [])] }));
    assert.ok(ampleSeeds.length > 0, 'the same viewer on an ample link seeds');
  });
});
