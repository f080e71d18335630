/**
 * `--workers`: connections are spread over the processes, yet one swarm spans them (sharded state over the
 * worker mesh); one `/metrics` covers the whole group; a crashed worker comes back under its name and takes
 * back only its own swarms, so the survivor keeps serving the swarms it owned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { ownerOf } from '../../../tracker/index.js';
import { RawClient, announce, isOffer, isResponse, offers, randomId, until } from './helpers.js';
import { startTrackerProcess } from './procs.js';

/** A GET on a fresh connection, so the primary hands it to the next worker in turn. Bounded in time. */
function fetchFresh(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.once('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.once('error', reject);
  });
}

interface Health {
  nodeId: string;
  pid: number;
  nodes: number;
}

async function workers(port: number): Promise<Map<string, Health>> {
  const seen = new Map<string, Health>();
  for (let i = 0; i < 12; i++) {
    const h = JSON.parse(await fetchFresh(`http://127.0.0.1:${port}/health`)) as Health;
    seen.set(h.nodeId.split('#')[0]!, h);
  }
  return seen;
}

void test('one swarm spans two worker processes; /metrics covers both', async () => {
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
    assert.equal((await workers(t.port)).size, 2);
    // Whichever worker answers, the figures are the group's: 18 sockets and 18 announces over both.
    for (let i = 0; i < 4; i++) {
      const metrics = await fetchFresh(`http://127.0.0.1:${t.port}/metrics`);
      assert.match(metrics, /^swarmcast_tracker_connections 18$/m);
      assert.match(metrics, /^swarmcast_tracker_messages_received_total\{type="announce"\} 18$/m);
      assert.match(metrics, /^swarmcast_tracker_messages_sent_total\{type="answer"\} 15$/m);
      assert.match(metrics, /^swarmcast_tracker_bus_messages_total\{direction="in"\} [1-9]/m);
      assert.match(metrics, /^nodejs_eventloop_lag_seconds /m);
      assert.match(metrics, /^process_cpu_seconds_total /m);
    }
  } finally {
    for (const c of clients) c.close();
    await t.kill('SIGTERM');
  }
});

void test('a killed worker restarts under its name; the survivor keeps the swarms it owned', async () => {
  const t = await startTrackerProcess(['--workers', '2']);
  const clients: { c: RawClient; hash: string }[] = [];
  try {
    const before = await workers(t.port);
    assert.deepEqual([...before.keys()].sort(), ['w0', 'w1']);
    for (let i = 0; i < 60; i++) {
      const c = await RawClient.connect(t.url);
      const hash = randomId();
      c.send(announce(hash, randomId(), { event: 'started' }));
      await c.next(isResponse);
      clients.push({ c, hash });
    }
    process.kill(before.get('w1')!.pid, 'SIGKILL');
    await until(
      async () => {
        // A request handed to the dying worker fails: ask again.
        const now = await workers(t.port).catch(() => new Map<string, Health>());
        const w1 = now.get('w1');
        return w1 !== undefined && w1.pid !== before.get('w1')!.pid && w1.nodes === 2 && now.get('w0')?.nodes === 2;
      },
      20_000,
      'w1 back under its name',
    );
    // Sockets on w0 survived. The swarms w0 owned (by name) still hold their peers; none moved to w1.
    const kept = clients.filter(({ c, hash }) => !c.closed && ownerOf(['w0', 'w1'], hash) === 'w0');
    assert.ok(kept.length >= 5, `${kept.length} survivor-owned swarms`);
    for (const { c, hash } of kept) {
      const from = c.messages.length;
      c.send({ action: 'scrape', info_hash: hash });
      const s = await c.next((m) => m.action === 'scrape', 3000, from);
      const file = (s.files as Record<string, { incomplete: number }>)[hash];
      assert.equal(file?.incomplete, 1, 'the peer is still in its swarm');
    }
  } finally {
    for (const { c } of clients) c.close();
    await t.kill('SIGTERM');
  }
});
