/** bench:swarm's summary helpers that read the engine's swarm keys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renditionLabel } from '../../../bench/swarm/summary.js';

void describe('bench:swarm summary: renditionLabel', () => {
  void it('names a video rendition by its resolution', () => {
    assert.equal(renditionLabel('swarmcast:v1|bench-swarm-1|v;b84976;r426x240;cavc1.4d401e,mp4a.40.2 s17'), '426x240');
  });

  void it('falls back to the bandwidth, and marks audio', () => {
    assert.equal(renditionLabel('swarmcast:v1|c|v;b175968;cavc1.4d401e s3'), '176 kb/s');
    assert.equal(renditionLabel('swarmcast:v1|c|a;b24000;cmp4a.40.2;len s3'), 'audio 24 kb/s');
    assert.equal(renditionLabel('swarmcast:v1|c|v;nmain s3'), 'unknown');
  });
});
