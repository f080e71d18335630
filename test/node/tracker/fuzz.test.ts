/**
 * Fuzz: thousands of malformed, oversized and hostile messages from several sockets while two honest
 * peers keep signalling, with every limit at its default (rates per connection and per IP, connections
 * per IP, caps per connection). Attackers share an IP with one honest peer and reconnect whenever they are
 * closed. The tracker must stay up and the honest offer/answer exchange must keep working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker } from '../../../tracker/index.js';
import { RawClient, announce, isOffer, isResponse, offers, randomId, until } from './helpers.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostile(r: () => number, hash: string, victimHash: string, victimId: string): string | Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const junkValues: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    'x',
    '',
    [],
    {},
    [1, 2],
    { a: 1 },
    '\u0100'.repeat(20),
    'a'.repeat(21),
    randomId(),
  ];
  const junk = (): unknown => pick(junkValues);
  switch (Math.floor(r() * 14)) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
    case 1:
      return '{"action":"announce",' + 'x'.repeat(Math.floor(r() * 100));
    case 2:
      return JSON.stringify(junk());
    case 3:
      return JSON.stringify({ action: junk(), info_hash: junk(), peer_id: junk() });
    case 4:
      return JSON.stringify(announce(hash, randomId(), { offers: junk() }));
    case 5:
      return JSON.stringify(announce(hash, randomId(), { offers: [{ offer: junk(), offer_id: junk() }] }));
    case 6:
      return JSON.stringify(
        announce(victimHash, victimId, { event: pick(['stopped', 'started', 'completed', 'paused']) }),
      );
    case 7:
      return JSON.stringify({
        action: 'announce',
        info_hash: victimHash,
        peer_id: randomId(),
        to_peer_id: victimId,
        offer_id: randomId(),
        answer: { type: 'answer', sdp: 'evil' },
      });
    case 8:
      return JSON.stringify({
        action: 'scrape',
        info_hash: Array.from({ length: Math.floor(r() * 300) }, () => junk()),
      });
    case 9:
      return JSON.stringify(announce(hash, randomId(), { numwant: junk(), left: junk(), event: junk() }));
    case 10:
      return JSON.stringify({ __proto__: { action: 'announce' }, constructor: 1, action: 'announce', info_hash: hash });
    case 11:
      return JSON.stringify(announce(hash, randomId(), { offers: offers(Math.floor(r() * 150)) }));
    case 12:
      return '['.repeat(Math.floor(r() * 5000));
    default:
      return JSON.stringify(
        announce(randomId(), randomId(), { offers: offers(3, 'y'.repeat(Math.floor(r() * 2000))) }),
      );
  }
}

void test('thousands of hostile messages: tracker stays up, honest signalling keeps working', async () => {
  const t = await createTracker({ port: 0 });
  // Attackers may flood their own swarm with fake peers (Sybil: bounded by maxPeerIdsPerConnection) and
  // send stop/answer forgeries naming the victim in the victim's swarm.
  const hash = randomId();
  const junkHash = randomId();
  const aId = randomId();
  const bId = randomId();
  const a = await RawClient.connect(t.url);
  const b = await RawClient.connect(t.url, { localAddress: '127.0.0.3' });
  a.send(announce(hash, aId, { event: 'started' }));
  await a.next(isResponse);
  b.send(announce(hash, bId, { event: 'started' }));
  await b.next(isResponse);
  const r = rng(42);
  const attackers = await Promise.all(Array.from({ length: 8 }, () => RawClient.connect(t.url)));
  const retired: RawClient[] = [];
  try {
    let sent = 0;
    for (let round = 0; round < 10; round++) {
      for (let k = 0; k < attackers.length; k++) {
        let atk = attackers[k]!;
        if (atk.closed) {
          // Closed for its flood (1008) or a frame over 64 KiB (1009): it comes back on a new socket.
          retired.push(atk);
          atk = attackers[k] = await RawClient.connect(t.url);
        }
        for (let i = 0; i < 50; i++, sent++) atk.ws.send(hostile(r, junkHash, hash, aId));
      }
      // Oversized frame on a fresh socket each round.
      const big = await RawClient.connect(t.url);
      big.ws.send('z'.repeat(70 * 1024));
      await big.waitClose();
      // Honest exchange still works mid-attack.
      const [offer] = offers(1, `honest-${round}`);
      const from = b.messages.length;
      a.send(announce(hash, aId, { offers: [offer] }));
      const got = await b.next((m) => isOffer(m) && m.peer_id === aId && m.offer_id === offer!.offer_id, 5000, from);
      b.send({
        action: 'announce',
        info_hash: hash,
        peer_id: bId,
        to_peer_id: aId,
        offer_id: got.offer_id,
        answer: { type: 'answer', sdp: `ans-${round}` },
      });
      await a.next((m) => m.answer !== undefined && (m.answer as { sdp: string }).sdp === `ans-${round}`, 5000);
    }
    assert.ok(sent >= 4000, `sent ${sent}`);
    assert.ok(t.metrics.dropped.get({ reason: 'rate_limit' }) > 0, 'the rate limits were hit');
    assert.ok(retired.length > 0, 'attackers were closed and came back');
    await until(() => t.metrics.received.get({ type: 'invalid' }) > 500, 5000, 'invalid messages counted');
    assert.equal(t.metrics.errors.get({ reason: 'internal' }), 0, 'no handler threw');
    // Victim a is still in the swarm; honest peers still connected.
    assert.equal(a.closed || b.closed, false);
    const res = await fetch(`http://127.0.0.1:${t.port}/health`);
    assert.equal(res.status, 200);
  } finally {
    for (const c of [a, b, ...attackers, ...retired]) c.close();
    await t.close();
  }
});
