/** The connector's signalling decisions, on a recording tracker socket and scripted peer connections. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { MAX_CONCURRENT_ANSWERS } from '../../../../core/p2p/connector.js';
import type { Peer } from '../../../../core/p2p/peer.js';
import { FakePeerConnection, flush, joinedConnector } from './fake-tracker.js';

const offerCount = (m: Record<string, unknown> | undefined): number => (m?.offers as unknown[]).length;

void describe('connector', () => {
  beforeEach(() => {
    FakePeerConnection.instances = [];
  });
  afterEach(() => {
    FakePeerConnection.remoteDescriptionSet = Promise.resolve();
  });

  void test('joining asks the tracker first, then offers once per other viewer counted, up to what is wanted', async () => {
    const one = await joinedConnector({ complete: 1, incomplete: 1 }); // us and one other
    assert.deepEqual(
      { event: one.sent[0]?.event, numwant: one.sent[0]?.numwant, offers: one.sent[0]?.offers },
      { event: 'started', numwant: 0, offers: [] },
    );
    assert.equal(offerCount(one.sent[1]), 1);
    assert.equal(one.sent[1]?.event, undefined);
    assert.equal(FakePeerConnection.instances.length, 1, 'no peer connection made for nobody');
    one.connector.destroy();

    const many = await joinedConnector({ complete: 10, incomplete: 30 });
    assert.equal(offerCount(many.sent[1]), 3, 'the host wants 3');
    many.connector.destroy();
  });

  void test('alone: no offers; a tracker that gives no counts gets every offer wanted', async () => {
    const alone = await joinedConnector({ complete: 0, incomplete: 1 });
    assert.equal(alone.sent.length, 1);
    assert.equal(FakePeerConnection.instances.length, 0);
    alone.connector.destroy();

    const uncounted = await joinedConnector({ interval: 120 });
    assert.equal(offerCount(uncounted.sent[1]), 3);
    uncounted.connector.destroy();
  });

  void test('the probe is answered once: later responses (to answers, say) bring no extra announce', async () => {
    const { sent, respond, connector } = await joinedConnector();
    assert.equal(sent.length, 2);
    respond({ complete: 0, incomplete: 5 });
    respond({ interval: 120, complete: 0, incomplete: 5 });
    await flush();
    assert.equal(sent.length, 2);
    connector.destroy();
  });

  void test('relayed offers beyond the answers under way wait for a slot instead of being dropped', async () => {
    let release = (): void => undefined;
    FakePeerConnection.remoteDescriptionSet = new Promise((resolve) => (release = resolve));
    const connected: string[] = [];
    const connect = (remoteId: string): Peer => {
      connected.push(remoteId);
      return { attach: () => undefined } as unknown as Peer;
    };
    const { sent, respond, connector } = await joinedConnector({ complete: 0, incomplete: 1 }, { connect });
    const offerers = Array.from(
      { length: MAX_CONCURRENT_ANSWERS + 3 },
      (_, i) => `-XX0001-offerer${String(i).padStart(5, '0')}`,
    );
    for (const [i, from] of offerers.entries()) {
      respond({ peer_id: from, offer_id: `o${i}`.padEnd(20, '-'), offer: { type: 'offer', sdp: 'v=0 remote' } });
    }
    await flush();
    assert.equal(FakePeerConnection.instances.length, MAX_CONCURRENT_ANSWERS, 'a bounded number at once');
    release();
    for (let i = 0; i < 5; i++) await flush();
    assert.deepEqual(connected, offerers, 'every offer answered, in arrival order');
    const answers = sent.filter((m) => m.answer);
    assert.deepEqual(
      answers.map((m) => m.to_peer_id),
      offerers,
    );
    connector.destroy();
  });

  void test('a second offer from the same viewer while it waits replaces its first', async () => {
    let release = (): void => undefined;
    FakePeerConnection.remoteDescriptionSet = new Promise((resolve) => (release = resolve));
    const connect = (): Peer => ({ attach: () => undefined }) as unknown as Peer;
    const { sent, respond, connector } = await joinedConnector({ complete: 0, incomplete: 1 }, { connect });
    const offer = (from: string, offerId: string): void =>
      respond({ peer_id: from, offer_id: offerId.padEnd(20, '-'), offer: { type: 'offer', sdp: 'v=0 remote' } });
    for (let i = 0; i < MAX_CONCURRENT_ANSWERS; i++) offer(`-XX0001-busy${String(i).padStart(8, '0')}`, `b${i}`);
    const waiting = '-XX0001-waiting00000';
    offer(waiting, 'first');
    offer(waiting, 'second');
    release();
    for (let i = 0; i < 5; i++) await flush();
    const toWaiting = sent.filter((m) => m.answer && m.to_peer_id === waiting);
    assert.deepEqual(
      toWaiting.map((m) => m.offer_id),
      ['second'.padEnd(20, '-')],
    );
    connector.destroy();
  });
});
