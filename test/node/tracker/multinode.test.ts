/**
 * Multi-node through a real Redis: node A in this process, node B a child process. Offers and answers
 * cross nodes; killing B removes its peers from A's swarms; a Redis outage degrades to node-local swarms
 * and the nodes rejoin when Redis is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker, ownerOf, type TrackerServer } from '../../../tracker/index.js';
import { RawClient, announce, isOffer, isResponse, offers, randomId, until } from './helpers.js';
import { startRedis, startTrackerProcess } from './procs.js';

const FAST = { nodeHeartbeatMs: 200, nodeTimeoutMs: 1000 };
const FAST_ARGS = ['--node-heartbeat-ms', '200', '--node-timeout-ms', '1000'];

async function exchange(hash: string, offerer: RawClient, answerer: RawClient): Promise<void> {
  const oId = randomId();
  const aId = randomId();
  answerer.send(announce(hash, aId, { event: 'started' }));
  await answerer.next((m) => isResponse(m) && m.info_hash === hash);
  const [offer] = offers(1, 'cross-node offer');
  offerer.send(announce(hash, oId, { event: 'started', offers: [offer] }));
  const got = await answerer.next((m) => isOffer(m) && m.offer_id === offer!.offer_id, 5000);
  assert.equal(got.peer_id, oId);
  answerer.send({
    action: 'announce',
    info_hash: hash,
    peer_id: aId,
    to_peer_id: oId,
    offer_id: got.offer_id,
    answer: { type: 'answer', sdp: 'cross-node answer' },
  });
  const ans = await offerer.next((m) => m.answer !== undefined && m.offer_id === offer!.offer_id, 5000);
  assert.equal(ans.peer_id, aId);
}

void test('two tracker nodes on one Redis relay offers/answers; a killed node leaves the swarms; Redis outage degrades and recovers', async () => {
  let redis = await startRedis();
  let a: TrackerServer | null = null;
  const b = await startTrackerProcess(['--redis', redis.url, '--node-id', 'node-b', ...FAST_ARGS]);
  const clients: RawClient[] = [];
  try {
    a = await createTracker({ port: 0, redisUrl: redis.url, nodeId: 'node-a', ...FAST });
    const ta = a;
    await until(() => ta.stats().nodes === 2, 5000, 'A sees B');
    await new Promise((r) => setTimeout(r, 500)); // B's view converges too
    const ca = await RawClient.connect(ta.url);
    const cb = await RawClient.connect(b.url);
    clients.push(ca, cb);

    // Both directions, in a swarm owned by A and in one owned by B.
    const nodes = ['node-a', 'node-b'];
    let ownedByA = randomId();
    while (ownerOf(nodes, ownedByA) !== 'node-a') ownedByA = randomId();
    let ownedByB = randomId();
    while (ownerOf(nodes, ownedByB) !== 'node-b') ownedByB = randomId();
    await exchange(ownedByA, cb, ca);
    await exchange(ownedByB, ca, cb);
    assert.ok(ta.metrics.bus.get({ direction: 'out' }) > 0);
    assert.equal(ta.stats().peers, 2, 'A owns one swarm with one local and one remote peer');

    // Kill B: its peer leaves A's swarm within the node timeout (well within one announce interval).
    await b.kill('SIGKILL');
    await until(() => ta.stats().peers === 1 && ta.stats().nodes === 1, 5000, "B's peers removed");

    // Redis outage: A keeps serving node-local swarms.
    await redis.kill('SIGKILL');
    await until(() => !ta.stats().busHealthy, 5000, 'degraded');
    const local1 = await RawClient.connect(ta.url);
    const local2 = await RawClient.connect(ta.url);
    clients.push(local1, local2);
    await exchange(randomId(), local1, local2);

    // Redis back (same port) plus a new node C: cross-node relay works again.
    redis = await startRedis(redis.port);
    const c = await startTrackerProcess(['--redis', redis.url, '--node-id', 'node-c', ...FAST_ARGS]);
    try {
      await until(() => ta.stats().busHealthy && ta.stats().nodes === 2, 10_000, 'recovered');
      await new Promise((r) => setTimeout(r, 500));
      const cc = await RawClient.connect(c.url);
      clients.push(cc);
      let ownedByC = randomId();
      while (ownerOf(['node-a', 'node-c'], ownedByC) !== 'node-c') ownedByC = randomId();
      await exchange(ownedByC, local1, cc);
      await exchange(randomId(), cc, local2);
    } finally {
      await c.kill('SIGTERM');
    }
  } finally {
    for (const cl of clients) cl.close();
    await a?.close();
    await b.kill();
    await redis.kill();
  }
});
