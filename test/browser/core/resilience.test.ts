/**
 * Failure paths on the real origin and tracker: a peer vanishing mid-transfer, the tracker going away, and
 * peers serving bad bytes. In every case the segment still arrives, byte-exact, over HTTP.
 */
import { expect } from 'chai';
import { readMeter, resetMeter, setTrackerRunning } from '../env.js';
import { MemoryStorage } from '../../../core/storage/memory.js';
import type { StoredSegmentMeta } from '../../../core/storage/types.js';
import type { SegmentDescriptor } from '../../../core/types.js';
import {
  HASH_LIST_PATH,
  fixtureSegments,
  originBytes,
  peersOf,
  uniqueSwarm,
  viewer,
  waitFor,
  type Viewer,
} from './helpers.js';

/** Storage that serves tampered bytes to peers (and to its own player: only peers matter here). */
class TamperingStorage extends MemoryStorage {
  constructor(private readonly tamper: (data: Uint8Array) => Uint8Array) {
    super();
  }
  override async get(key: string): Promise<Uint8Array | undefined> {
    const data = await super.get(key);
    return data && this.tamper(data);
  }
  override put(meta: StoredSegmentMeta, data: Uint8Array): Promise<void> {
    return super.put(meta, data);
  }
}

describe('core engine: resilience', () => {
  let segments: SegmentDescriptor[];
  let viewers: Viewer[] = [];

  before(async () => {
    segments = await fixtureSegments();
  });

  afterEach(async () => {
    for (const v of viewers) v.engine.destroy();
    viewers = [];
    await setTrackerRunning(true);
  });

  it("killing A's peer connection mid-transfer: B completes the segment over HTTP Range, bytes exact", async function () {
    this.timeout(60000);
    const swarmId = uniqueSwarm('kill');
    // A uploads slowly so the transfer is surely in progress when A disappears.
    const a = viewer('KA', swarmId, segments, { uploadRateBytesPerSec: 4000, maxMessageBytes: 4096 });
    const b = viewer('KB', swarmId, segments);
    viewers = [a, b];
    await waitFor(() => peersOf(a) >= 1 && peersOf(b) >= 1, 30000, 'A and B to connect');
    const seg = segments[12]!;
    await a.engine.loadSegment(a.streamId, seg.id);
    await resetMeter();
    // B prefetches it from A as soon as A announces it; the player's request joins that transfer.
    await waitFor(() => b.engine.getStats().p2pBytes > 0, 20000, 'B to receive the first P2P bytes');
    const pending = b.engine.loadSegment(b.streamId, seg.id);
    a.engine.destroy();
    const r = await pending;
    const expected = await originBytes(seg);
    expect(new Uint8Array(r.data)).to.deep.equal(expected);
    expect(r.source).to.equal('http');
    const p2pBytes = b.engine.getStats().p2pBytes;
    expect(p2pBytes).to.be.greaterThan(0);
    const meter = await readMeter();
    // B's other origin request is the hash list that vouches for the bytes A sent (integrity is on by default).
    const list = meter.byPath[HASH_LIST_PATH];
    expect(list?.requests, 'one hash-list request').to.equal(1);
    expect(meter.byClient.KB?.requests, 'the tail and the hash list').to.equal(2);
    expect(meter.byClient.KB?.bytes, 'B fetched only the missing tail').to.equal(
      expected.byteLength - p2pBytes + list!.bytes,
    );
  });

  it('tracker stopped: segments still load over HTTP; clients connect once the tracker returns', async function () {
    this.timeout(90000);
    await setTrackerRunning(false);
    const swarmId = uniqueSwarm('tracker');
    const e = viewer('TE', swarmId, segments);
    const f = viewer('TF', swarmId, segments);
    viewers = [e, f];
    const errors: string[] = [];
    e.engine.on('tracker-error', (x) => errors.push(x.message));
    const expected = await originBytes(segments[0]!);
    const r = await e.engine.loadSegment(e.streamId, segments[0]!.id);
    expect(r.source).to.equal('http');
    expect(new Uint8Array(r.data)).to.deep.equal(expected);
    expect(peersOf(e)).to.equal(0);
    await setTrackerRunning(true);
    await waitFor(() => peersOf(e) >= 1 && peersOf(f) >= 1, 75000, 'E and F to meet after the tracker returns');
  });

  it('a peer sending wrong bytes fails validation, is banned and not reconnected; the segment comes from HTTP', async function () {
    this.timeout(60000);
    const swarmId = uniqueSwarm('evil');
    const seg = segments[14]!;
    const expected = await originBytes(seg);
    const evil = viewer('EA', swarmId, segments, { storage: new TamperingStorage((d) => d.map((x) => x ^ 0x5a)) });
    const good = viewer('EB', swarmId, segments, {
      validateSegment: (s, bytes) => s.id !== seg.id || bytes.every((x, i) => x === expected[i]),
    });
    viewers = [evil, good];
    await waitFor(() => peersOf(evil) >= 1 && peersOf(good) >= 1, 30000, 'peers to connect');
    const banned: string[] = [];
    good.engine.on('peer-banned', (e) => banned.push(e.reason));
    await evil.engine.loadSegment(evil.streamId, seg.id);
    // The good viewer prefetches the announced segment from the evil one, validates it and bans the sender.
    await waitFor(() => banned.length > 0, 20000, 'the evil peer to be banned');
    expect(banned).to.deep.equal(['validation failed']);
    const r = await good.engine.loadSegment(good.streamId, seg.id);
    expect(new Uint8Array(r.data)).to.deep.equal(expected);
    expect(r.source).to.equal('http');
    await new Promise((res) => setTimeout(res, 3000));
    expect(peersOf(good), 'the banned peer is not reconnected').to.equal(0);
  });

  it('a peer sending a truncated segment is banned; the segment comes from HTTP', async function () {
    this.timeout(60000);
    const swarmId = uniqueSwarm('short');
    const seg = segments[16]!;
    const expected = await originBytes(seg);
    const evil = viewer('SA', swarmId, segments, { storage: new TamperingStorage((d) => d.subarray(0, 1000)) });
    const good = viewer('SB', swarmId, segments, {
      validateSegment: (_s, bytes) => bytes.byteLength > 1000,
    });
    viewers = [evil, good];
    await waitFor(() => peersOf(evil) >= 1 && peersOf(good) >= 1, 30000, 'peers to connect');
    const banned: string[] = [];
    good.engine.on('peer-banned', (e) => banned.push(e.peerId));
    await evil.engine.loadSegment(evil.streamId, seg.id);
    await waitFor(() => banned.length > 0, 20000, 'the peer with the short segment to be banned');
    const r = await good.engine.loadSegment(good.streamId, seg.id);
    expect(new Uint8Array(r.data)).to.deep.equal(expected);
    expect(peersOf(good)).to.equal(0);
  });
});
