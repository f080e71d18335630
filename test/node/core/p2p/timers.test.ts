/**
 * Time-driven behaviour on node:test's mock timers: offer expiry, early announce without peers, connection timeout.
 * (Tracker socket liveness and reconnects: tracker-liveness.test.ts.)
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { CONNECT_TIMEOUT_MS } from '../../../../core/p2p/peer.js';
import { harness } from './fake-channel.js';
import { FakePeerConnection, flush, joinedConnector } from './fake-tracker.js';

void describe('timers', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    FakePeerConnection.instances = [];
  });
  afterEach(() => {
    mock.timers.reset();
  });

  void test('offers unanswered for 50 s are closed', async () => {
    const { sent, peers, connector } = await joinedConnector();
    peers[0] = 1; // someone is connected: no early re-announce in between
    assert.equal((sent[1]?.offers as unknown[]).length, 3);
    assert.equal(connector.pendingOffers, 3);
    const first = FakePeerConnection.instances.slice();
    mock.timers.tick(30_000); // the periodic re-announce (no interval from the tracker yet) makes 3 more
    await flush();
    assert.equal(sent.length, 3);
    assert.equal(sent[2]?.event, undefined);
    mock.timers.tick(19_999);
    assert.ok(first.every((pc) => !pc.closed));
    mock.timers.tick(1);
    assert.ok(first.every((pc) => pc.closed));
    assert.equal(connector.pendingOffers, 3);
    connector.destroy();
    assert.equal(sent.at(-1)?.event, 'stopped');
    assert.ok(FakePeerConnection.instances.every((pc) => pc.closed));
  });

  void test('offers are made one per task, so the page can run its own tasks in between', async () => {
    const madeAtYield: number[] = [];
    const nextTask = (): Promise<void> => {
      madeAtYield.push(FakePeerConnection.instances.length);
      return Promise.resolve();
    };
    const { sent, connector } = await joinedConnector(undefined, { nextTask });
    assert.deepEqual(madeAtYield, [0, 1, 2], 'each peer connection made in a task of its own');
    assert.equal((sent[1]?.offers as unknown[]).length, 3);
    connector.destroy();
  });

  void test('others in the swarm but no peer: announces again after 4, 8, 16… s until the interval', async () => {
    const { sent, connector, respond } = await joinedConnector();
    assert.equal(sent.length, 2);
    let atMs = 0;
    // Two others (us included: 3); every retry finds nobody, so each waits twice as long, up to 64 s.
    for (const delayMs of [4_000, 8_000, 16_000, 32_000, 64_000]) {
      respond({ interval: 120, complete: 1, incomplete: 2 });
      const count: number = sent.length;
      mock.timers.tick(delayMs - 1);
      await flush();
      assert.equal(sent.length, count, `nothing before ${atMs + delayMs} ms`);
      mock.timers.tick(1);
      await flush();
      atMs += delayMs;
      assert.equal(sent.length, count + 1, `retry at ${atMs} ms`);
      assert.equal((sent.at(-1)?.offers as unknown[]).length, 2, 'a retry brings fresh offers, one per other');
    }
    // 128 s would be past the 120 s interval: the periodic announce takes over.
    respond({ interval: 120, complete: 1, incomplete: 2 });
    const sentBefore = sent.length;
    mock.timers.tick(119_999);
    await flush();
    assert.equal(sent.length, sentBefore);
    mock.timers.tick(1);
    await flush();
    assert.equal(sent.length, sentBefore + 1);
    connector.destroy();
  });

  void test('no early announce when alone in the swarm, or once connected to everyone counted', async () => {
    const { sent, peers, connector, respond } = await joinedConnector({ complete: 0, incomplete: 1 });
    assert.equal(sent.length, 1, 'alone: no offers after the started announce');
    respond({ interval: 120, complete: 0, incomplete: 1 }); // only us
    mock.timers.tick(119_999);
    await flush();
    assert.equal(sent.length, 1, 'alone: the interval only');
    mock.timers.tick(1);
    await flush();
    assert.equal(sent.length, 2);
    respond({ interval: 120, complete: 0, incomplete: 5 });
    peers[0] = 4; // the four others offered to us
    mock.timers.tick(119_999);
    await flush();
    assert.equal(sent.length, 2, 'connected: the interval only');
    connector.destroy();
  });

  void test('viewers who joined while our capped offers were made get one more announce, once', async () => {
    const { sent, peers, connector, respond } = await joinedConnector({ complete: 0, incomplete: 2 });
    assert.equal((sent[1]?.offers as unknown[]).length, 1, 'one other when we asked');
    peers[0] = 1;
    respond({ interval: 120, complete: 0, incomplete: 4 }); // three others by the time the offer was relayed
    mock.timers.tick(3_999);
    await flush();
    assert.equal(sent.length, 2);
    mock.timers.tick(1);
    await flush();
    assert.equal(sent.length, 3);
    assert.equal((sent[2]?.offers as unknown[]).length, 3, 'offers for the count now');
    respond({ interval: 120, complete: 0, incomplete: 4 }); // one still unreachable: no retry for it
    mock.timers.tick(119_999);
    await flush();
    assert.equal(sent.length, 3);
    connector.destroy();
  });

  void test("the early announce waits at least the tracker's min interval", async () => {
    const { sent, connector, respond } = await joinedConnector();
    respond({ interval: 120, 'min interval': 30, incomplete: 2 });
    mock.timers.tick(29_999);
    await flush();
    assert.equal(sent.length, 2);
    mock.timers.tick(1);
    await flush();
    assert.equal(sent.length, 3);
    connector.destroy();
  });

  void test('a connection without a handshake is closed after the connect timeout', () => {
    const h = harness({ handshake: false });
    mock.timers.tick(CONNECT_TIMEOUT_MS - 1);
    assert.ok(!h.peer.closed);
    mock.timers.tick(1);
    assert.deepEqual(h.closes, ['connection timeout']);
  });
});
