/** bench:swarm's integrity line: the engines' check counters summed and set against P2P and baseline bytes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IntegrityStats } from '../../../core/index.js';
import { renderIntegrity, summariseIntegrity } from '../../../bench/swarm/integrity.js';
import type { ViewerResult } from '../../../bench/swarm/protocol.js';

function viewer(p2pBytes: number, integrity: IntegrityStats): ViewerResult {
  return { engine: { httpBytes: 0, p2pBytes, cacheBytes: 0, uploadedBytes: 0, peers: 1, integrity } } as ViewerResult;
}

void test('summariseIntegrity: sums every viewer and prices the checks against P2P and baseline bytes', () => {
  const s = summariseIntegrity(
    [
      viewer(400_000, {
        verified: 10,
        failed: 1,
        forged: 1,
        byMethod: { 'hash-list': 0, 'spot-check': 11 },
        cdnBytes: 2000,
        cdnRequests: 11,
      }),
      viewer(600_000, {
        verified: 5,
        failed: 0,
        forged: 0,
        byMethod: { 'hash-list': 4, 'spot-check': 1 },
        cdnBytes: 3000,
        cdnRequests: 3,
      }),
    ],
    2_000_000,
  );
  assert.deepEqual(
    { ...s, byMethod: { ...s.byMethod } },
    {
      verified: 15,
      failed: 1,
      forged: 1,
      byMethod: { 'hash-list': 4, 'spot-check': 12 },
      cdnBytes: 5000,
      cdnRequests: 14,
      cdnBytesPctOfP2p: 0.5,
      cdnBytesPctOfBaseline: 0.25,
    },
  );
  assert.match(renderIntegrity('auto', false, s), /without hash lists.*14 requests = 0\.50 % of P2P bytes/);
});

void test('summariseIntegrity: no P2P bytes, no division by zero', () => {
  const zero = {
    verified: 0,
    failed: 0,
    forged: 0,
    byMethod: { 'hash-list': 0, 'spot-check': 0 },
    cdnBytes: 0,
    cdnRequests: 0,
  };
  const s = summariseIntegrity([viewer(0, zero)], 0);
  assert.equal(s.cdnBytesPctOfP2p, 0);
  assert.equal(s.cdnBytesPctOfBaseline, 0);
});
