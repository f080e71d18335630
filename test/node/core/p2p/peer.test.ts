/** One Peer driven through a fake data channel: handshake, announcements, serving, back-pressure, rate cap. */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { CAPABILITY, decode, T, type Message } from '../../../../core/p2p/codec.js';
import { harness, INFO_HASH, MAX_MESSAGE_BYTES, type Harness } from './fake-channel.js';

const sentMessages = (h: Harness): Message[] => h.channel.sent.map((f) => decode(f, MAX_MESSAGE_BYTES));
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

void describe('peer', () => {
  const open: Harness[] = [];
  const make = (o?: Parameters<typeof harness>[0]): Harness => {
    const h = harness(o);
    open.push(h);
    return h;
  };
  afterEach(() => {
    for (const h of open.splice(0)) h.peer.close('test end');
  });

  void test('handshake: sends ours, then the full announcement once theirs arrives', () => {
    const h = make();
    const [hello, full] = sentMessages(h);
    assert.equal(hello?.t, T.HANDSHAKE);
    assert.deepEqual(full, { t: T.ANNOUNCE_FULL, have: ['1'], loading: [] });
    assert.ok(h.peer.ready);
  });

  void test('version mismatch is refused with a clear reason and closes', () => {
    const h = make({ handshake: false });
    h.feed({ t: T.HANDSHAKE, version: 2, capabilities: 0, maxMessageBytes: 65536, infoHash: INFO_HASH });
    assert.match(h.refusals[0] ?? '', /version mismatch: ours 1, theirs 2/);
    assert.ok(h.peer.closed);
  });

  void test('a handshake for another swarm, or any other message first, drops the peer', () => {
    const h = make({ handshake: false });
    h.feed({ t: T.HANDSHAKE, version: 1, capabilities: 0, maxMessageBytes: 65536, infoHash: new Uint8Array(20) });
    assert.match(h.closes[0] ?? '', /different swarm/);
    const h2 = make({ handshake: false });
    h2.feed({ t: T.ABSENT, requestId: 1 });
    assert.match(h2.closes[0] ?? '', /expected HANDSHAKE/);
  });

  void test('full announcement then incremental deltas', () => {
    const h = make();
    h.feed({ t: T.ANNOUNCE_FULL, have: ['1', '2', '3'], loading: ['4'] });
    assert.ok(h.peer.has('2') && h.peer.isLoading('4'));
    h.feed({ t: T.ANNOUNCE_DELTA, have: ['4'], loading: ['5'], removed: ['1'] });
    assert.ok(!h.peer.has('1') && h.peer.has('4') && !h.peer.isLoading('4') && h.peer.isLoading('5'));
    h.feed({ t: T.ANNOUNCE_FULL, have: ['9'], loading: [] });
    assert.ok(!h.peer.has('2') && h.peer.has('9') && !h.peer.isLoading('5'));
    assert.equal(h.updates, 3);
  });

  void test('an announcement larger than the message limit is split, and the receiver rebuilds the same sets', () => {
    const have = Array.from({ length: 3000 }, (_, i) => `segment-${i}.m4s?token=${i * 7919}`);
    const loading = Array.from({ length: 500 }, (_, i) => `l${i * 3 + (i % 2)}`);
    const sender = make({ full: { t: T.ANNOUNCE_FULL, have, loading } });
    const frames = sender.channel.sent.slice(1);
    assert.ok(frames.length > 4 && frames.every((f) => f.length <= MAX_MESSAGE_BYTES));
    const receiver = make();
    receiver.feed({ t: T.ANNOUNCE_FULL, have: ['stale'], loading: [] });
    for (const f of frames) receiver.feed(f);
    assert.ok(!receiver.peer.closed);
    assert.ok(!receiver.peer.has('stale'));
    assert.ok(have.every((id) => receiver.peer.has(id)) && loading.every((id) => receiver.peer.isLoading(id)));
  });

  void test('serves a request in chunks within the message limit, and ABSENT when it cannot', async () => {
    const h = make();
    const data = new Uint8Array(50_000).map((_, i) => i);
    h.setUpload(true, (id) => Promise.resolve(id === 'a' || id === 'c' ? data : undefined));
    h.channel.sent.length = 0;
    h.feed({ t: T.REQUEST, requestId: 3, segmentId: 'a', fromByte: 10 });
    h.feed({ t: T.REQUEST, requestId: 4, segmentId: 'b', fromByte: 0 });
    h.feed({ t: T.REQUEST, requestId: 5, segmentId: 'c', fromByte: 50_001 });
    await tick();
    const out = sentMessages(h);
    assert.ok(h.channel.sent.every((f) => f.length <= MAX_MESSAGE_BYTES));
    const chunks = out.flatMap((m) => (m.t === T.DATA && m.requestId === 3 ? [m] : []));
    assert.ok(chunks.length >= 4);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.chunk.length, 0));
    let at = 0;
    for (const c of chunks) {
      assert.equal(c.offset, 10 + at);
      joined.set(c.chunk, at);
      at += c.chunk.length;
    }
    assert.deepEqual(joined, data.subarray(10));
    const absent = out.flatMap((m) => (m.t === T.ABSENT ? [m.requestId] : []));
    assert.deepEqual(absent.sort(), [4, 5]);
    assert.equal(h.uploaded, 50_000 - 10);
    h.setUpload(false, () => Promise.resolve(data));
    h.channel.sent.length = 0;
    h.feed({ t: T.REQUEST, requestId: 6, segmentId: 'a', fromByte: 0 });
    assert.deepEqual(sentMessages(h), [{ t: T.ABSENT, requestId: 6 }]);
  });

  void test('full upload slots: BUSY to a requester that understands it, an older requester is still served', async () => {
    const data = new Uint8Array(1000);
    for (const [capabilities, expected] of [
      [CAPABILITY.BUSY, T.BUSY],
      [0, T.DATA],
    ] as const) {
      const h = make({ remoteCapabilities: capabilities, uploadSlotFree: () => false });
      h.setUpload(true, () => Promise.resolve(data));
      h.channel.sent.length = 0;
      h.feed({ t: T.REQUEST, requestId: 9, segmentId: 'a', fromByte: 0 });
      await tick();
      assert.deepEqual(
        sentMessages(h).map((m) => m.t),
        [expected],
      );
    }
  });

  void test('a BUSY answer fails our download with type busy and leaves the connection open', async () => {
    const h = make();
    const d = h.peer.download('a', 0);
    h.feed({ t: T.BUSY, requestId: 1 });
    await assert.rejects(d.result, (e: { type: string }) => e.type === 'busy');
    assert.ok(!h.peer.closed);
    assert.equal(h.peer.pendingDownloads, 0);
  });

  void test('back-pressure: stops above the high-water mark, resumes on bufferedamountlow; CANCEL stops the upload', async () => {
    const h = make();
    const data = new Uint8Array(4 << 20);
    h.setUpload(true, () => Promise.resolve(data));
    h.channel.accumulate = true;
    h.channel.sent.length = 0;
    h.feed({ t: T.REQUEST, requestId: 1, segmentId: 'a', fromByte: 0 });
    await tick();
    const first = h.channel.sent.length;
    assert.ok(first > 0 && h.channel.bufferedAmount < (1 << 20) + MAX_MESSAGE_BYTES);
    assert.ok(h.uploaded < data.length);
    h.channel.bufferedAmount = 0;
    h.channel.onbufferedamountlow?.();
    assert.ok(h.channel.sent.length > first);
    h.feed({ t: T.CANCEL, requestId: 1 });
    const afterCancel = h.channel.sent.length;
    h.channel.bufferedAmount = 0;
    h.channel.onbufferedamountlow?.();
    assert.equal(h.channel.sent.length, afterCancel);
  });

  void test('upload rate cap spreads chunks over time', async () => {
    const h = make({ rateBytesPerSec: 20_000 });
    h.setUpload(true, () => Promise.resolve(new Uint8Array(60_000)));
    h.feed({ t: T.REQUEST, requestId: 1, segmentId: 'a', fromByte: 0 });
    await tick(300);
    assert.ok(h.uploaded > 0 && h.uploaded <= 40_000, `uploaded ${h.uploaded}`);
  });

  void test('download: DATA out of order is a protocol error that rejects and drops', async () => {
    const h = make();
    const d = h.peer.download('a', 0);
    h.feed({ t: T.DATA, requestId: 1, totalBytes: 10, offset: 0, chunk: new Uint8Array(4) });
    h.feed({ t: T.DATA, requestId: 1, totalBytes: 10, offset: 5, chunk: new Uint8Array(4) });
    await assert.rejects(d.result, (e: { type: string }) => e.type === 'protocol-error');
    assert.equal(d.receivedData().length, 4);
    assert.match(h.closes[0] ?? '', /out of order/);
  });
});
