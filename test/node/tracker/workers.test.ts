/**
 * `--workers 2`: connections are spread over two processes, yet one swarm spans both (sharded state over
 * the worker mesh): an announce with 5 offers reaches all 5 other peers, and their answers come back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, announce, isOffer, isResponse, offers, randomId, until } from './helpers.js';
import { startTrackerProcess } from './procs.js';

void test('one swarm spans two worker processes', async () => {
  const t = await startTrackerProcess(['--workers', '2']);
  const clients: RawClient[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      const hash = randomId();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = await RawClient.connect(t.url);
        clients.push(c);
        const id = randomId();
        ids.push(id);
        c.send(announce(hash, id, { event: 'started' }));
        await c.next(isResponse);
      }
      const members = clients.slice(-5);
      const offerer = await RawClient.connect(t.url);
      clients.push(offerer);
      const oId = randomId();
      const sent = offers(5);
      offerer.send(announce(hash, oId, { event: 'started', offers: sent }));
      const resp = await offerer.next(isResponse);
      assert.equal(resp.incomplete, 6, 'all six peers are in one swarm');
      await Promise.all(members.map((m) => m.next(isOffer, 5000)));
      members.forEach((m, i) => {
        const o = m.messages.find(isOffer)!;
        m.send({
          action: 'announce',
          info_hash: hash,
          peer_id: ids[i],
          to_peer_id: oId,
          offer_id: o.offer_id,
          answer: { type: 'answer', sdp: `a${i}` },
        });
      });
      await until(() => offerer.messages.filter((m) => m.answer !== undefined).length === 5, 5000, 'five answers');
    }
    const health = await fetch(`http://127.0.0.1:${t.port}/health`);
    assert.equal(health.status, 200);
    // Whichever worker answers, it exchanged envelopes with the other one.
    const metrics = await (await fetch(`http://127.0.0.1:${t.port}/metrics`)).text();
    assert.match(metrics, /swarmcast_tracker_bus_messages_total\{direction="in"\} [1-9]/);
  } finally {
    for (const c of clients) c.close();
    await t.kill('SIGTERM');
  }
});
