/**
 * Two real engines on @roamhq/wrtc meeting through bittorrent-tracker@10.0.12's Server: A loads a fixture
 * segment from the real origin over HTTP, B gets it from A over P2P, byte-identical, checked against the origin's
 * hash list; the origin served it once.
 */
import wrtc from '@roamhq/wrtc';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { Engine, type EnginePlatform } from '../../../core/engine.js';
import { vodSegmentId } from '../../../core/ids.js';
import type { SegmentDescriptor } from '../../../core/types.js';
import { DEFAULT_ROOT, startOrigin, type Origin } from '../../support/origin/index.js';
import { startTestTracker, type TestTracker } from '../../support/test-tracker.js';

const PLAYLIST = 'hls-ts/360p/index.m3u8';

const platform: Partial<EnginePlatform> = {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  fetch: globalThis.fetch,
};

async function fixtureSegments(originUrl: string): Promise<SegmentDescriptor[]> {
  const text = await readFile(path.join(DEFAULT_ROOT, PLAYLIST), 'utf8');
  const out: SegmentDescriptor[] = [];
  let start = 0;
  let duration = 0;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      const url = `${originUrl}/${path.posix.dirname(PLAYLIST)}/${line}`;
      out.push({ id: vodSegmentId(start), url, startSec: start, durationSec: duration });
      start += duration;
    }
  }
  return out;
}

function engine(name: string, origin: Origin, tracker: TestTracker, segments: SegmentDescriptor[]) {
  const e = new Engine(
    {
      trackerUrls: [tracker.url],
      rtcConfig: { iceServers: [] },
      httpSeedEnabled: false,
      p2pJoinWhenPlayable: false,
      httpRetryDelayMs: 100,
      // Attributes every request to this viewer at the origin's byte meter.
      httpRequestSetup: (r) => ({ ...r, url: r.url.replace(origin.url, `${origin.url}/c/${name}`) }),
    },
    platform,
  );
  e.setContent({ manifestUrl: `${origin.url}/hls-ts/master.m3u8`, swarmId: `wrtc-${process.pid}` });
  const streamId = e.addStream({
    type: 'main',
    rendition: { bandwidth: 139120, width: 640, height: 360, codecs: 'avc1.4d401e,mp4a.40.2' },
  });
  e.updateSegments(streamId, segments, { live: false });
  e.setActiveStream(streamId);
  e.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 0 });
  return { engine: e, streamId, swarmKey: e.getSwarmKey(streamId) ?? '' };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

void describe('two engines on @roamhq/wrtc through a real tracker', { timeout: 60_000 }, () => {
  let origin: Origin;
  let tracker: TestTracker;
  let a: ReturnType<typeof engine>;
  let b: ReturnType<typeof engine>;
  let segments: SegmentDescriptor[];

  before(async () => {
    origin = await startOrigin();
    tracker = await startTestTracker();
    segments = await fixtureSegments(origin.url);
    a = engine('A', origin, tracker, segments);
    // B joins second so A is already in the tracker's swarm to receive B's offers.
    await new Promise((r) => setTimeout(r, 300));
    b = engine('B', origin, tracker, segments);
  });

  after(async () => {
    a.engine.destroy();
    b.engine.destroy();
    await tracker.close();
    await origin.close();
  });

  void test('A loads a segment over HTTP, B gets it over P2P byte-identical, the origin served it once', async () => {
    const peers = (v: typeof a): number => v.engine.getStats().peersBySwarm[v.swarmKey] ?? 0;
    await waitFor('A and B connected', () => peers(a) >= 1 && peers(b) >= 1);
    origin.meter.reset();
    // 20 s ahead of both playheads: not urgent, so B's scheduler prefers the peer that has it.
    const seg = segments[10];
    assert.ok(seg);
    const onDisk = new Uint8Array(await readFile(path.join(DEFAULT_ROOT, new URL(seg.url).pathname)));
    const sources: string[] = [];
    b.engine.on('segment-loaded', (e) => {
      if (e.segmentId === seg.id) sources.push(e.source);
    });

    const first = await a.engine.loadSegment(a.streamId, seg.id);
    assert.equal(first.source, 'http');
    assert.deepEqual(new Uint8Array(first.data), onDisk);

    // B prefetches it from A as soon as A announces it.
    await waitFor('B to prefetch over P2P', () => sources.length > 0);
    assert.deepEqual(sources, ['p2p']);
    const got = await b.engine.loadSegment(b.streamId, seg.id);
    assert.equal(got.source, 'cache');
    assert.deepEqual(new Uint8Array(got.data), onDisk);
    assert.equal(b.engine.getStats().p2pBytes, onDisk.byteLength);
    assert.equal(b.engine.getStats().httpBytes, 0);
    assert.ok(a.engine.getStats().uploadedBytes >= onDisk.byteLength);

    const meter = origin.meter.snapshot();
    const entry = meter.byPath[new URL(seg.url).pathname];
    assert.deepEqual(entry, { requests: 1, bytes: onDisk.byteLength }, 'origin served the segment once');
    // B checked A's copy against the hash list the origin publishes next to the manifest: its one request.
    const list = meter.byPath['/hls-ts/segments-sha256.json'];
    const fromB = meter.byClient.B;
    assert.ok(fromB, 'B asked the origin for the hash list');
    assert.equal(fromB.requests, 1, 'B asked the origin for the hash list only');
    assert.equal(fromB.bytes, list?.bytes);
    const integrity = b.engine.getStats().integrity;
    assert.equal(integrity.verified, 1);
    assert.equal(integrity.byMethod['hash-list'], 1);
  });
});
