import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode, encode, HEADER_BYTES, MAX_IDS_PER_MESSAGE, T, type Message } from '../../../../core/p2p/codec.js';
import { readIdList, writeIdList } from '../../../../core/p2p/id-list.js';
import { infoHashFromSwarmKey, toHex } from '../../../../core/p2p/index.js';
import { bytesToLatin1, latin1ToBytes } from '../../../../core/p2p/ids.js';
import { Reader, Writer } from '../../../../core/p2p/wire.js';

const MAX = 64 * 1024;

void describe('codec', () => {
  const messages: Message[] = [
    { t: T.HANDSHAKE, version: 1, capabilities: 5, maxMessageBytes: 65536, infoHash: new Uint8Array(20).fill(7) },
    { t: T.ANNOUNCE_FULL, have: ['1', '2', '3', 'init-720p.mp4'], loading: ['t62000'] },
    { t: T.ANNOUNCE_FULL, have: [], loading: [] },
    { t: T.ANNOUNCE_DELTA, have: ['10'], loading: ['ü/ß😀'], removed: ['t0', 't2000', 't4000'] },
    { t: T.REQUEST, requestId: 1, segmentId: 'x'.repeat(255), fromByte: 2 ** 40 },
    { t: T.DATA, requestId: 2 ** 31, totalBytes: 300_000, offset: 1234, chunk: new Uint8Array([1, 2, 3]) },
    { t: T.DATA, requestId: 9, totalBytes: 0, offset: 0, chunk: new Uint8Array(0) },
    { t: T.ABSENT, requestId: 77 },
    { t: T.CANCEL, requestId: 0 },
    { t: T.BUSY, requestId: 12_345 },
    { t: T.BYE, reason: 'banned: bad data' },
  ];
  for (const m of messages) {
    void test(`round trip type ${m.t}`, () => {
      const frame = encode(m);
      assert.equal(frame[0], m.t);
      assert.equal(new DataView(frame.buffer, frame.byteOffset).getUint32(1), frame.length - HEADER_BYTES);
      const back = decode(frame, MAX);
      if (m.t === T.ANNOUNCE_FULL || m.t === T.ANNOUNCE_DELTA) {
        // Sets: order is not part of the contract.
        for (const k of Object.keys(m) as (keyof typeof m)[]) {
          if (k !== 't') assert.deepEqual([...(back as typeof m)[k]].sort(), [...m[k]].sort());
        }
      } else assert.deepEqual(back, m);
    });
  }

  void test('a REQUEST with an id over 255 bytes is refused by the encoder', () => {
    assert.throws(() => encode({ t: T.REQUEST, requestId: 1, segmentId: 'x'.repeat(256), fromByte: 0 }));
  });

  void test('rejects oversize, bad length, unknown type and trailing bytes', () => {
    const ok = encode({ t: T.ABSENT, requestId: 1 });
    assert.throws(() => decode(ok, ok.length - 1), /exceeds/);
    const badLen = ok.slice();
    badLen[4] = (badLen[4] ?? 0) + 1;
    assert.throws(() => decode(badLen, MAX), /length/);
    const unknown = ok.slice();
    unknown[0] = 200;
    assert.throws(() => decode(unknown, MAX), /unknown message type/);
    const trailing = new Uint8Array([T.ABSENT, 0, 0, 0, 2, 1, 1]);
    assert.throws(() => decode(trailing, MAX), /trailing/);
  });
});

void describe('segment id lists', () => {
  const roundTrip = (ids: string[]): { bytes: number; back: string[] } => {
    const w = new Writer();
    writeIdList(w, ids);
    const buf = w.finish();
    const r = new Reader(buf);
    const back = readIdList(r, MAX_IDS_PER_MESSAGE);
    r.end();
    return { bytes: buf.length, back };
  };

  void test('consecutive integers collapse to one run', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => String(5000 + i));
    const { bytes, back } = roundTrip(ids);
    assert.deepEqual(back, ids);
    assert.ok(bytes <= 10, `${bytes} bytes`);
  });

  void test('time-based ids with a constant step collapse; irregular ones stay small', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `t${62000 + i * 2000}`);
    const regular = roundTrip(ids);
    assert.deepEqual(regular.back, ids);
    assert.ok(regular.bytes <= 12, `${regular.bytes} bytes`);
    const irregular = ['t0', 't6006', 't12000', 't18018', 't24000', 't30030'];
    const r = roundTrip(irregular);
    assert.deepEqual(r.back, irregular);
    assert.ok(r.bytes < irregular.join('').length, `${r.bytes} bytes`);
  });

  void test('mixed, non-numeric, leading zeros, unicode and huge numbers round trip as a set', () => {
    const ids = ['007', '7', '0', 'seg-1.ts', 'seg-2.ts', 'ü1', '', '1234567890123456789', 'a1b2', 'x9', 'x10'];
    const { back } = roundTrip([...ids, '7', 'x9']);
    assert.deepEqual([...back].sort(), [...ids].sort());
  });

  void test('a run claiming more ids than allowed is refused before expanding', () => {
    const w = new Writer()
      .varint(1)
      .u8(1)
      .str('t')
      .varint(1)
      .varint(0)
      .varint(2 ** 40)
      .varint(1);
    assert.throws(() => readIdList(new Reader(w.finish()), MAX_IDS_PER_MESSAGE), /oversized/);
  });

  void test("one budget for all the lists of a message: three lists can't triple what a message builds", () => {
    const list = (w: Writer, prefix: string, n: number): Writer =>
      w.varint(1).u8(1).str(prefix).varint(1).varint(0).varint(n).varint(1);
    const body = list(list(list(new Writer(), 'a', 400), 'b', 400), 'c', 400).finish();
    const frame = new Uint8Array(5 + body.length);
    frame[0] = T.ANNOUNCE_DELTA;
    new DataView(frame.buffer).setUint32(1, body.length);
    frame.set(body, 5);
    assert.equal(decode(frame, 65536, 1200).t, T.ANNOUNCE_DELTA);
    assert.throws(() => decode(frame, 65536, 1000), /oversized id run/);
    const budget = { left: 500 };
    const r = new Reader(body);
    assert.equal(readIdList(r, budget).length, 400);
    assert.equal(budget.left, 100);
    assert.throws(() => readIdList(r, budget), /oversized/);
    assert.equal(budget.left, 100, 'nothing charged, nothing built, for the refused run');
  });
});

void describe('ids', () => {
  void test('info hash is SHA-1 of the UTF-8 swarm key', async () => {
    assert.equal(toHex(await infoHashFromSwarmKey('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    const h = await infoHashFromSwarmKey('swarmcast:v1|ü');
    assert.equal(h.length, 20);
    assert.equal(bytesToLatin1(h).length, 20);
    assert.deepEqual(latin1ToBytes(bytesToLatin1(h)), h);
  });
});
