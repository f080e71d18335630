/** Thousands of random, mutated, truncated and oversized frames into a peer's message handler. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode, T, type Message } from '../../../../core/p2p/codec.js';
import { Writer } from '../../../../core/p2p/wire.js';
import { harness, INFO_HASH, MAX_MESSAGE_BYTES } from './fake-channel.js';

// Deterministic so a failure can be replayed.
let seed = 0x5eed;
const rand = (): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const int = (n: number): number => Math.floor(rand() * n);
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));

const valid: Message[] = [
  { t: T.HANDSHAKE, version: 1, capabilities: 0, maxMessageBytes: MAX_MESSAGE_BYTES, infoHash: INFO_HASH },
  { t: T.ANNOUNCE_FULL, have: ['1', '2', '3', 'x'], loading: ['t2000'] },
  { t: T.ANNOUNCE_DELTA, have: ['7'], loading: [], removed: ['1'] },
  { t: T.REQUEST, requestId: 1, segmentId: 'a', fromByte: 0 },
  { t: T.DATA, requestId: 1, totalBytes: 100, offset: 0, chunk: new Uint8Array(10) },
  { t: T.ABSENT, requestId: 1 },
  { t: T.CANCEL, requestId: 1 },
  { t: T.BUSY, requestId: 1 },
  { t: T.BYE, reason: 'bye' },
];

function frame(type: number, body: Uint8Array, declared = body.length): Uint8Array {
  const f = new Uint8Array(5 + body.length);
  f[0] = type;
  new DataView(f.buffer).setUint32(1, declared);
  f.set(body, 5);
  return f;
}

/** Frames that must always drop the peer. */
function surelyBad(): Uint8Array | string {
  switch (int(7)) {
    case 0:
      return bytes(int(5)); // truncated header
    case 1:
      return frame(8 + int(248), bytes(int(50))); // unknown type
    case 2:
      return frame(int(8), bytes(int(50)), 0xffffffff); // length claims 4 GiB
    case 3:
      return new Uint8Array(MAX_MESSAGE_BYTES + 1 + int(1000)); // oversized
    case 4: {
      // Body truncated with a consistent header (DATA excluded: its chunk may legitimately be shorter).
      const good = encode(valid.filter((m) => m.t !== T.DATA)[1 + int(valid.length - 2)] ?? valid[0]!);
      return frame(good[0] ?? 0, good.subarray(5, 5 + int(good.length - 5)));
    }
    case 5: // an id run announcing 2^40 segments
      return frame(
        T.ANNOUNCE_FULL,
        new Writer()
          .varint(1)
          .u8(1)
          .str('t')
          .varint(1)
          .varint(0)
          .varint(2 ** 40)
          .varint(1)
          .finish(),
      );
    default:
      return 'text frame';
  }
}

/** Random garbage and mutated valid frames: may be valid by chance, must never throw. */
function anything(): Uint8Array {
  if (rand() < 0.3) return bytes(int(64));
  const f = encode(valid[int(valid.length)] ?? { t: T.CANCEL, requestId: 0 }).slice();
  for (let i = int(4); i >= 0; i--) f[int(f.length)] = int(256);
  return rand() < 0.2 ? f.subarray(0, int(f.length)) : f;
}

void test('fuzz: malformed frames drop the peer, never throw, never allocate by declared sizes', () => {
  const before = process.memoryUsage().arrayBuffers;
  let dropped = 0;
  for (let i = 0; i < 3000; i++) {
    const h = harness({ handshake: rand() < 0.8 });
    h.setUpload(true, () => Promise.resolve(undefined));
    try {
      for (let k = int(4); k > 0; k--) h.feed(anything());
      const bad = surelyBad();
      const wasOpen = !h.peer.closed;
      if (typeof bad === 'string') h.channel.onmessage?.({ data: bad });
      else h.feed(bad);
      if (wasOpen) {
        assert.ok(h.peer.closed, `frame ${i} did not drop the peer`);
        assert.match(h.closes[0] ?? '', /protocol error|version mismatch|announced over \d+ segment ids|flood/);
        dropped++;
      }
    } finally {
      h.peer.close('end');
    }
  }
  assert.ok(dropped > 500, `${dropped} drops`);
  const grown = process.memoryUsage().arrayBuffers - before;
  assert.ok(grown < 64 << 20, `array buffers grew by ${grown} bytes`);
});

void test('fuzz: random frames to a downloading peer settle the download exactly once', async () => {
  for (let i = 0; i < 1000; i++) {
    const h = harness();
    const d = h.peer.download('a', int(3));
    let settled = 0;
    d.result.then(
      () => settled++,
      () => settled++,
    );
    for (let k = 0; k < 5 && !h.peer.closed; k++) {
      const chunk = bytes(int(20));
      const m: Message = { t: T.DATA, requestId: 1, totalBytes: int(40), offset: int(3), chunk };
      h.feed(rand() < 0.5 ? encode(m) : anything());
    }
    h.peer.close('end');
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(settled, 1);
  }
});
