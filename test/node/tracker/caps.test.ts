/**
 * Caps count what is current (a `stopped` frees a slot), peer_ids per swarm per connection are capped, the
 * node's ceilings refuse clearly, offers awaiting an answer cannot be pushed out by others' traffic, and a
 * close costs O(the closing connection's peers), not O(swarm).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker, type TrackerConfig, type TrackerServer } from '../../../tracker/index.js';
import { SwarmEngine, type Sink } from '../../../tracker/swarms.js';
import { TRACKER_DEFAULTS } from '../../../tracker/config.js';
import { RawClient, announce, isFailure, isOffer, isResponse, offers, randomId, until } from './helpers.js';

async function withTracker(opts: Partial<TrackerConfig>, fn: (t: TrackerServer) => Promise<void>): Promise<void> {
  const t = await createTracker({ port: 0, ...opts });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const reply = async (c: RawClient, m: Record<string, unknown>): Promise<Record<string, unknown>> => {
  const from = c.messages.length;
  c.send(m);
  return c.next((x) => isResponse(x) || isFailure(x), 3000, from);
};

void test('a stopped frees its swarm and peer_id slots on the connection', () =>
  withTracker({ maxSwarmsPerConnection: 2, maxPeerIdsPerConnection: 2 }, async (t) => {
    const c = await RawClient.connect(t.url);
    const [h1, h2, h3] = [randomId(), randomId(), randomId()];
    const [p1, p2, p3] = [randomId(), randomId(), randomId()];
    assert.equal(isResponse(await reply(c, announce(h1, p1, { event: 'started' }))), true);
    assert.equal(isResponse(await reply(c, announce(h2, p2, { event: 'started' }))), true);
    const full = await reply(c, announce(h3, p1, { event: 'started' }));
    assert.equal(full['failure reason'], 'too many swarms on this connection');
    // A long-lived page leaves a swarm (a playlist, a rendition switch): the slot is free again.
    await reply(c, announce(h1, p1, { event: 'stopped' }));
    assert.equal(isResponse(await reply(c, announce(h3, p1, { event: 'started' }))), true);
    await reply(c, announce(h2, p2, { event: 'stopped' }));
    assert.equal(isResponse(await reply(c, announce(h2, p3, { event: 'started' }))), true);
    assert.deepEqual([t.stats().swarms, t.stats().peers], [2, 2]);
  }));

void test('peer_ids per swarm per connection are capped (fake peers from one socket)', () =>
  withTracker({}, async (t) => {
    const c = await RawClient.connect(t.url);
    const h = randomId();
    for (let i = 0; i < TRACKER_DEFAULTS.maxPeerIdsPerSwarmPerConnection; i++) {
      assert.equal(isResponse(await reply(c, announce(h, randomId()))), true);
    }
    const refused = await reply(c, announce(h, randomId()));
    assert.deepEqual(
      [refused.info_hash, refused['failure reason']],
      [h, 'too many peer_ids in this swarm on this connection'],
    );
    assert.equal(isResponse(await reply(c, announce(randomId(), randomId()))), true, 'another swarm is fine');
  }));

void test('ceilings on swarms and peers refuse with a clear reason', () =>
  withTracker({ maxSwarms: 2, maxPeers: 3 }, async (t) => {
    const c = await RawClient.connect(t.url);
    const d = await RawClient.connect(t.url);
    const [h1, h2] = [randomId(), randomId()];
    await reply(c, announce(h1, randomId()));
    await reply(c, announce(h2, randomId()));
    const h3 = randomId();
    const noSwarm = await reply(c, announce(h3, randomId()));
    assert.deepEqual([noSwarm.info_hash, noSwarm['failure reason']], [h3, 'tracker full: too many swarms']);
    await reply(d, announce(h1, randomId()));
    const noPeer = await reply(d, announce(h2, randomId()));
    assert.deepEqual([noPeer.info_hash, noPeer['failure reason']], [h2, 'tracker full: too many peers']);
    assert.deepEqual([t.stats().swarms, t.stats().peers], [2, 3]);
  }));

void test("attackers aimed at B cannot push A's offer out: B's answer still reaches A", () =>
  withTracker({ connectionMessagesPerSec: 0, ipMessagesPerSec: 0 }, async (t) => {
    const hash = randomId();
    const [aId, bId] = [randomId(), randomId()];
    const a = await RawClient.connect(t.url);
    const b = await RawClient.connect(t.url);
    await reply(b, announce(hash, bId, { event: 'started' }));
    await reply(a, announce(hash, aId, { event: 'started' }));
    const [offer] = offers(1);
    a.send(announce(hash, aId, { numwant: 1, offers: [offer] }));
    const got = await b.next(isOffer);
    // Eight attacker sockets join and offer to everyone, B included, far past any per-peer pending list.
    const attackers = await Promise.all(Array.from({ length: 8 }, () => RawClient.connect(t.url)));
    const ids = attackers.map(() => randomId());
    for (const [i, atk] of attackers.entries()) await reply(atk, announce(hash, ids[i]!, { event: 'started' }));
    for (let round = 0; round < 16; round++) {
      for (const [i, atk] of attackers.entries())
        atk.send(announce(hash, ids[i]!, { numwant: 10, offers: offers(10) }));
    }
    await until(() => b.messages.filter(isOffer).length > 120, 10_000, 'B flooded with offers');
    b.send({
      action: 'announce',
      info_hash: hash,
      peer_id: bId,
      to_peer_id: aId,
      offer_id: got.offer_id,
      answer: { type: 'answer', sdp: 'genuine' },
    });
    const ans = await a.next((m) => m.answer !== undefined, 3000);
    assert.deepEqual([ans.peer_id, ans.offer_id], [bId, offer!.offer_id]);
    assert.equal(b.messages.some(isFailure), false);
  }));

void test('closing a connection reads O(its peers) of a big swarm, not the swarm', () => {
  const sink: Sink = { send: () => undefined };
  const engine = new SwarmEngine(TRACKER_DEFAULTS, sink);
  const hash = randomId();
  const n = 20_000;
  const ids = Array.from({ length: n }, () => randomId());
  for (let conn = 0; conn < n; conn++) {
    engine.announce(
      { node: 'n', conn, receivedAtMs: 0 },
      {
        kind: 'announce',
        infoHash: hash,
        peerId: ids[conn]!,
        event: 'started',
        numwant: 0,
        seeder: false,
        offers: [],
      },
    );
  }
  // Count every read of a peer slot in the swarm's dense array (private: the only way to see the cost
  // without timing it).
  const swarm = (engine as unknown as { swarms: Map<string, { peers: unknown[] }> }).swarms.get(hash)!;
  let reads = 0;
  swarm.peers = new Proxy(swarm.peers, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const closing = 5_000;
  for (let conn = 0; conn < closing; conn++) engine.connectionClosed('n', conn, [[hash, [ids[conn]!]]]);
  assert.equal(engine.peers, n - closing);
  assert.ok(reads <= closing * 2, `${reads} reads of swarm slots for ${closing} closes`);
  // A close naming a peer that belongs to another connection removes nothing.
  engine.connectionClosed('n', 0, [[hash, [ids[n - 1]!]]]);
  assert.equal(engine.peers, n - closing);
});
