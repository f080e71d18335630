import assert from 'node:assert/strict';
import { fetchRank } from '../../../core/scheduler/plan.js';
import { describe, it } from 'node:test';
import { JOIN_FALLBACK_MS } from '../../../core/scheduler/loop.js';
import { SwarmcastError } from '../../../core/errors.js';
import { FakePeer, type FakeDownload } from './fake-swarm.js';
import { bytesOf, engineTestEnv, SEG, segmentsFor, sleep, until, type Rig } from './engine-helpers.js';

const env = engineTestEnv();

const rig = env.rig;

const idx = (segmentId: string): number => Number(segmentId.slice(1)) / 40;

/** Serves every download from BODY; `mutate` can corrupt / truncate per download. */
function serve(r: Rig, mutate: (d: FakeDownload, data: Uint8Array) => Uint8Array | 'stall' = (_d, x) => x): void {
  r.swarm().onDownload = (d) => {
    const full = bytesOf(idx(d.segmentId)).subarray(d.fromByte);
    d.totalBytes = SEG;
    const data = mutate(d, full);
    if (data === 'stall') {
      d.push(full.subarray(0, 4000));
      return;
    }
    d.push(data.subarray(0, 3000));
    d.push(data.subarray(3000));
    d.finish();
  };
}

void describe('engine', () => {
  void it('HTTP-only without a P2P network: loads, then serves from cache; stats and events', async () => {
    const r = rig({}, false);
    const loaded: string[] = [];
    r.engine.on('segment-loaded', (e) => loaded.push(`${e.segmentId}:${e.source}`));
    const a = await r.engine.loadSegment(r.streamId, 't0');
    assert.equal(a.source, 'http');
    assert.deepEqual(new Uint8Array(a.data), bytesOf(0));
    const b = await r.engine.loadSegment(r.streamId, 't0');
    assert.equal(b.source, 'cache');
    assert.deepEqual(new Uint8Array(b.data), bytesOf(0));
    assert.deepEqual(loaded, ['t0:http', 't0:cache']);
    const stats = r.engine.getStats();
    assert.ok(stats.httpBytes >= SEG);
    assert.equal(stats.cacheBytes, SEG);
    assert.equal(stats.p2pRatio, 0);
  });

  void it('unknown segment rejects with a typed error', async () => {
    const r = rig();
    await assert.rejects(r.engine.loadSegment(r.streamId, 'nope'), (e: SwarmcastError) => e.type === 'unknown-segment');
  });

  void it('swarm key is versioned, ignores the query string, and the swarm gets the settings', async () => {
    const r = rig({ maxPeers: 7 });
    await until(() => r.net.swarms.size === 1);
    const key = r.engine.getSwarmKey(r.streamId) ?? '';
    assert.match(key, /^swarmcast:v1\|\/\/127\.0\.0\.1:\d+\/master\.m3u8\|v;b20000;r640x360$/);
    assert.equal(r.swarm().options.maxPeers, 7);
  });

  void it('prefetches from a peer that announced a segment; the player then gets it from cache', async () => {
    const r = rig();
    await until(() => r.net.swarms.size === 1);
    serve(r);
    const p = new FakePeer('A', 1_000_000);
    p.haves.add('t200');
    r.swarm().addPeer(p);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
    const ev = new Promise((res) => r.engine.on('segment-loaded', (e) => e.source === 'p2p' && res(e)));
    assert.deepEqual(await ev, {
      streamId: r.streamId,
      segmentId: 't200',
      source: 'p2p',
      peerId: 'A',
      bytes: SEG,
      p2pBytes: SEG,
      durationMs: ((await ev) as { durationMs: number }).durationMs,
    });
    const got = await r.engine.loadSegment(r.streamId, 't200');
    assert.equal(got.source, 'cache');
    assert.deepEqual(new Uint8Array(got.data), bytesOf(5));
    assert.ok(r.swarm().announced.includes('have:t200'));
    assert.equal(r.engine.getStats().p2pBytes, SEG);
  });

  void it('stalled P2P download the player waits for → HTTP Range resume from the byte reached, bytes exact', async () => {
    const r = rig({ p2pStallTimeoutMs: 100 });
    await until(() => r.net.swarms.size === 1);
    serve(r, () => 'stall');
    const p = new FakePeer('A', 50_000_000);
    p.haves.add('t40');
    r.swarm().addPeer(p);
    const res = await r.engine.loadSegment(r.streamId, 't40');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(1));
    assert.equal(res.source, 'http');
    assert.ok(r.swarm().downloads[0]?.cancelled, 'the stalled peer download was cancelled');
    assert.ok(env.origin.ranges.includes(`/file bytes=${SEG + 4000}-${2 * SEG - 1}`), env.origin.ranges.join('\n'));
    const stats = r.engine.getStats();
    assert.equal(stats.p2pBytes, 4000);
  });

  void it('peer sending wrong bytes fails validation: banned, segment refetched over HTTP', async () => {
    const r = rig({
      validateSegment: (seg, bytes) => bytes[0] === bytesOf(Number(seg.id.slice(1)) / 40)[0],
    });
    await until(() => r.net.swarms.size === 1);
    serve(r, (_d, data) => data.map((b) => b ^ 0xff));
    const p = new FakePeer('evil', 50_000_000);
    p.haves.add('t80');
    r.swarm().addPeer(p);
    const banned: string[] = [];
    r.engine.on('peer-banned', (e) => banned.push(`${e.peerId}:${e.reason}`));
    const res = await r.engine.loadSegment(r.streamId, 't80');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(2));
    assert.equal(res.source, 'http');
    assert.deepEqual(r.swarm().banned, ['evil']);
    assert.deepEqual(banned, ['evil:validation failed']);
  });

  void it('peer declaring one size and sending another is banned (size check), HTTP completes', async () => {
    const r = rig();
    await until(() => r.net.swarms.size === 1);
    serve(r, (_d, data) => data.subarray(0, 6000));
    const p = new FakePeer('liar', 50_000_000);
    p.haves.add('t120');
    r.swarm().addPeer(p);
    const res = await r.engine.loadSegment(r.streamId, 't120');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(3));
    assert.deepEqual(r.swarm().banned, ['liar']);
  });

  void it('two player requests for one segment share one download', async () => {
    const r = rig({}, false);
    const before = env.origin.ranges.length;
    const [a, b] = await Promise.all([
      r.engine.loadSegment(r.streamId, 't160'),
      r.engine.loadSegment(r.streamId, 't160'),
    ]);
    assert.deepEqual(new Uint8Array(a.data), bytesOf(4));
    assert.deepEqual(new Uint8Array(b.data), bytesOf(4));
    assert.equal(env.origin.ranges.length - before, 1);
  });

  void it('abort: the request rejects with type aborted and segment-abort fires', async () => {
    const r = rig({ p2pStallTimeoutMs: 60_000 });
    await until(() => r.net.swarms.size === 1);
    serve(r, () => 'stall');
    const p = new FakePeer('A', 50_000_000);
    p.haves.add('t240');
    r.swarm().addPeer(p);
    const ctrl = new AbortController();
    const aborts: string[] = [];
    r.engine.on('segment-abort', (e) => aborts.push(e.segmentId));
    const pending = r.engine.loadSegment(r.streamId, 't240', { signal: ctrl.signal });
    await sleep(50);
    ctrl.abort();
    await assert.rejects(pending, (e: SwarmcastError) => e.type === 'aborted');
    assert.deepEqual(aborts, ['t240']);
  });

  void it('p2pJoinWhenPlayable: no swarm (no tracker, no offers) until the playhead sits in buffered media', async () => {
    const r = rig({ p2pJoinWhenPlayable: true });
    await sleep(150); // several 20 ms ticks
    assert.equal(r.net.swarms.size, 0);
    const first = await r.engine.loadSegment(r.streamId, 't0');
    assert.equal(first.source, 'http');
    await sleep(150); // delivered, not yet appended: still no swarm
    assert.equal(r.net.swarms.size, 0);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 4 });
    await until(() => r.net.swarms.size === 1);
    // Joined for good: a seek into unbuffered media does not leave or re-gate the swarm.
    r.engine.updatePlayback({ positionSec: 30, rate: 1, bufferedEndSec: 30 });
    await sleep(100);
    assert.equal(r.net.swarms.size, 1);
  });

  void it('p2pJoinWhenPlayable: joins JOIN_FALLBACK_MS after the first segment when no playback is reported', async () => {
    // A real clock that can be moved forward, so HTTP timings stay real.
    let skewMs = 0;
    const r = rig({ p2pJoinWhenPlayable: true }, true, { now: () => performance.now() + skewMs });
    await r.engine.loadSegment(r.streamId, 't0');
    skewMs += JOIN_FALLBACK_MS - 500;
    await sleep(100);
    assert.equal(r.net.swarms.size, 0);
    skewMs += 500;
    await until(() => r.net.swarms.size === 1);
  });

  void it('a player abort during a slow store read settles at once', async () => {
    const r = rig({}, false);
    await r.engine.loadSegment(r.streamId, 't0'); // now stored
    const store = (r.engine as unknown as { store: { read: (k: string, id: string) => Promise<unknown> } }).store;
    const read = store.read.bind(store);
    store.read = async (k, id) => {
      await sleep(500);
      return read(k, id);
    };
    const ctrl = new AbortController();
    const started = Date.now();
    const pending = r.engine.loadSegment(r.streamId, 't0', { signal: ctrl.signal });
    await sleep(20);
    ctrl.abort();
    await assert.rejects(pending, (e: SwarmcastError) => e.type === 'aborted');
    assert.ok(Date.now() - started < 400, `settled after ${Date.now() - started} ms`);
  });

  void it('an HTTP download the player abandons half-way is finished, stored and counted, not wasted', async () => {
    const r = rig({}, false);
    const seg = {
      id: 't0',
      url: `${env.origin.url}/trickle`,
      byteRange: { start: 0, end: SEG },
      startSec: 0,
      durationSec: 4,
    };
    r.engine.updateSegments(r.streamId, [seg], { live: false });
    const ctrl = new AbortController();
    let received = 0;
    const pending = r.engine.loadSegment(r.streamId, 't0', { signal: ctrl.signal, onProgress: (n) => (received = n) });
    await until(() => received > 0);
    ctrl.abort();
    await assert.rejects(pending, (e: SwarmcastError) => e.type === 'aborted');
    await until(() => r.engine.getStats().httpBytes === SEG);
    const again = await r.engine.loadSegment(r.streamId, 't0');
    assert.equal(again.source, 'cache');
    assert.deepEqual(new Uint8Array(again.data), bytesOf(0));
    assert.equal(env.origin.hits.get('/trickle'), 1, 'fetched once');
  });

  void it('uploads serve stored bytes to peers; upload/consume settings reach the swarm at runtime', async () => {
    const r = rig();
    await until(() => r.net.swarms.size === 1);
    await r.engine.loadSegment(r.streamId, 't0');
    const up = await r.swarm().uploadSource?.('t0');
    assert.deepEqual(up, bytesOf(0));
    assert.equal(await r.swarm().uploadSource?.('t40'), undefined);
    r.engine.applySettings({ consumeOnly: true });
    assert.equal(r.swarm().uploadEnabled, false);
    assert.throws(() => r.engine.applySettings({ maxPeers: 3 } as never), /cannot be changed at runtime/);
    r.engine.applySettings({ p2pEnabled: false });
    assert.equal(r.swarm().destroyed, true);
  });

  void it('a throwing listener breaks neither the engine nor other listeners', async () => {
    const r = rig({}, false);
    const seen: string[] = [];
    r.engine.on('segment-loaded', () => {
      throw new Error('boom');
    });
    r.engine.on('segment-loaded', (e) => seen.push(e.segmentId));
    r.engine.on('listener-error', (e) => seen.push(`error:${e.event}`));
    const res = await r.engine.loadSegment(r.streamId, 't0');
    assert.equal(res.bytes, SEG);
    assert.deepEqual(seen, ['error:segment-loaded', 't0']);
  });

  void it('storage budget: old segments behind the playhead are evicted and announced removed', async () => {
    const r = rig({ storageBudgetBytes: 3 * SEG });
    await until(() => r.net.swarms.size === 1);
    for (let i = 0; i < 6; i++) {
      r.engine.updatePlayback({ positionSec: i * 4, rate: 1, bufferedEndSec: i * 4 });
      await r.engine.loadSegment(r.streamId, `t${i * 40}`);
    }
    await sleep(1100);
    await sleep(60); // the next ticks evict (eviction runs at most once a second)
    assert.ok(r.engine.getStats().storedBytes <= 3 * SEG, `stored ${r.engine.getStats().storedBytes}`);
    assert.ok(r.swarm().announced.includes('removed:t0'));
  });

  void it('HTTP bandwidth estimate is fed by HTTP only', async () => {
    const r = rig({}, false);
    assert.equal(r.engine.estimateBandwidthBytesPerSec(), undefined);
    for (let i = 0; i < 3; i++) await r.engine.loadSegment(r.streamId, `t${i * 40}`);
    const bw = r.engine.estimateBandwidthBytesPerSec();
    assert.ok(bw === undefined || bw > 0);
  });
  void it('live: segments that leave the playlist are evicted and announced removed', async () => {
    const r = rig();
    await until(() => r.net.swarms.size === 1);
    const segs = segmentsFor(env.origin.url, 6);
    r.engine.updateSegments(r.streamId, segs.slice(0, 4), { live: true });
    await r.engine.loadSegment(r.streamId, 't0');
    await r.engine.loadSegment(r.streamId, 't40');
    r.engine.updateSegments(r.streamId, segs.slice(1, 6), { live: true });
    await sleep(60); // a tick evicts what left the live list
    assert.ok(r.swarm().announced.includes('removed:t0'));
    assert.equal(r.engine.getStats().storedBytes, SEG);
    await assert.rejects(r.engine.loadSegment(r.streamId, 't0'), (e: SwarmcastError) => e.type === 'unknown-segment');
  });

  void it('HTTP seeding: a segment nobody holds is fetched and announced loading by the first in its queue', async () => {
    const r = rig();
    await until(() => r.net.swarms.size === 1);
    r.swarm().addPeer(new FakePeer('A', 1e6));
    // fetchRank puts us ('self') before A for t160 and after A for t120.
    assert.ok(fetchRank('self', 't160') < fetchRank('A', 't160') && fetchRank('A', 't120') < fetchRank('self', 't120'));
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 12 });
    await until(() => r.swarm().announced.includes('have:t160'));
    assert.ok(r.swarm().announced.includes('loading:t160'));
    assert.ok(!r.swarm().announced.some((a) => a.endsWith(':t120')), 'A is first in the queue for t120');
    assert.ok(!r.swarm().announced.some((a) => a.endsWith(':t0')), 'buffered segments are not seeded');
  });
  void it('failure back-off: a failed prefetch is not retried before failureBackoffMs', async () => {
    const r = rig({ failureBackoffMs: 60_000 });
    await until(() => r.net.swarms.size === 1);
    r.swarm().onDownload = (d) => d.fail('absent');
    const p = new FakePeer('A', 1e6);
    p.haves.add('t200');
    r.swarm().addPeer(p);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
    await sleep(300); // ~15 scheduler ticks
    assert.equal(r.swarm().downloads.filter((d) => d.segmentId === 't200').length, 1);
  });
});
