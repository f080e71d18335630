import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpRepeats } from '../../../bench/swarm/http-repeats.js';
import type { DownloadSample, LoadSample, ViewerResult } from '../../../bench/swarm/protocol.js';

const download = (key: string, source: DownloadSample['source'], startMs: number, endMs: number): DownloadSample => ({
  source,
  key,
  startMs,
  endMs,
  bytes: 1000,
});

/** What the player was handed: only the media loads' order and times matter here (they mark startup). */
const load = (key: string, atMs: number, init = false): LoadSample => ({
  source: 'cache',
  durationMs: 0,
  atMs,
  transferStartMs: atMs,
  firstByteMs: atMs,
  init,
  key,
  bytes: 1000,
});

function viewer(
  timeOriginMs: number,
  startup: { mediaLoads: number; loads: LoadSample[] },
  downloads: DownloadSample[],
  firstPeer?: { startedAtMs: number; firstPeerMs: number },
): ViewerResult {
  return {
    id: `v${timeOriginMs}`,
    kind: 'real',
    startupMs: 1,
    firstSegment: undefined,
    firstPeerMs: firstPeer?.firstPeerMs,
    startedAtMs: firstPeer?.startedAtMs ?? 0,
    mediaLoadsBeforeStartup: startup.mediaLoads,
    startupLoads: [],
    mainThreadBeforeStartup: undefined,
    playedSec: 1,
    stalls: 0,
    stallSec: 0,
    stallEpisodes: [],
    engine: {
      httpBytes: 0,
      p2pBytes: 0,
      cacheBytes: 0,
      uploadedBytes: 0,
      peers: 0,
      integrity: {
        verified: 0,
        failed: 0,
        forged: 0,
        byMethod: { 'hash-list': 0, 'spot-check': 0 },
        cdnBytes: 0,
        cdnRequests: 0,
      },
    },
    loads: startup.loads,
    downloads,
    timeOriginMs,
    errors: [],
  };
}

void test('httpRepeats: counts HTTP downloads beyond the first per segment, on one clock across pages', () => {
  const r = httpRepeats([
    // Page clock 0: s1 and s2 over HTTP, both handed over before the first frame (the init load does not count).
    viewer(0, { mediaLoads: 2, loads: [load('i', 10, true), load('s1', 100), load('s2', 200)] }, [
      download('s1', 'http', 10, 100),
      download('s2', 'http', 100, 200),
    ]),
    // Page clock 1000: s1 starts at 1050, long after the first download of it ended (100): a late repeat, after
    // its startup (which took s0 from a peer); s3 from a peer is no HTTP download.
    viewer(
      1000,
      { mediaLoads: 1, loads: [load('s0', 10)] },
      [download('s0', 'p2p', 0, 10), download('s1', 'http', 50, 90), download('s3', 'p2p', 90, 99)],
      // Started at page clock 5, first peer 40 ms later (45): the s1 repeat began (50) with a peer connected.
      { startedAtMs: 5, firstPeerMs: 40 },
    ),
    // Page clock 150: s2 starts at 170 while viewer 0's (100–200) is in flight, and ends before its first frame;
    // no peer ever connected.
    viewer(150, { mediaLoads: 1, loads: [load('i', 5, true), load('s2', 60)] }, [download('s2', 'http', 20, 60)]),
  ]);
  assert.deepEqual(r, {
    segments: 2,
    downloads: 4,
    repeats: 2,
    repeatBytes: 2000,
    concurrent: 1,
    beforeStartup: 1,
    beforeFirstPeer: 1,
  });
});

void test('httpRepeats: no HTTP downloads, no repeats', () => {
  assert.deepEqual(httpRepeats([viewer(0, { mediaLoads: 0, loads: [] }, [download('s1', 'p2p', 0, 5)])]), {
    segments: 0,
    downloads: 0,
    repeats: 0,
    repeatBytes: 0,
    concurrent: 0,
    beforeStartup: 0,
    beforeFirstPeer: 0,
  });
});
