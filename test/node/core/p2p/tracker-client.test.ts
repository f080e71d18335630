/** The tracker client's messages, checked on a scripted WebSocket tracker. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import wrtc from '@roamhq/wrtc';
import { WebSocketServer, type WebSocket } from 'ws';
import { createP2PNetwork, infoHashFromSwarmKey } from '../../../../core/p2p/index.js';
import { bytesToLatin1 } from '../../../../core/p2p/ids.js';
import { platform, swarmOptions, waitFor } from './support.js';

type Json = Record<string, unknown>;

void test('announce sequence: started, then non-trickle offers for the others counted, interval-driven updates, answers, stopped', async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const address = wss.address();
  const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const received: Json[] = [];
  let client: WebSocket | undefined;
  wss.on('connection', (ws) => {
    client = ws;
    ws.on('message', (raw: Buffer) => {
      const m = JSON.parse(raw.toString()) as Json;
      received.push(m);
      // Us and three others: more than the two offers wanted.
      const counts = { complete: 1, incomplete: 3 };
      if (!m.answer) ws.send(JSON.stringify({ action: 'announce', info_hash: m.info_hash, interval: 1, ...counts }));
    });
  });
  const net = createP2PNetwork(platform);
  const swarm = net.createSwarm(swarmOptions([url], { offersPerAnnounce: 2, swarmKey: 'k1' }));
  const infoHash = bytesToLatin1(await infoHashFromSwarmKey('k1'));
  const remote = new wrtc.RTCPeerConnection();
  try {
    await waitFor('three announces', () => received.length >= 3, 5000);
    const [started, first, second] = received as [Json, Json, Json];
    // Joining asks how many others there are before making offers for them.
    assert.deepEqual(
      { event: started.event, numwant: started.numwant, offers: started.offers },
      { event: 'started', numwant: 0, offers: [] },
    );
    assert.equal(first.action, 'announce');
    assert.equal(first.event, undefined);
    assert.equal(first.info_hash, infoHash);
    assert.equal(first.peer_id, net.peerId);
    const offers = first.offers as { offer: { type: string; sdp: string }; offer_id: string }[];
    assert.equal(first.numwant, offers.length);
    assert.equal(offers.length, 2);
    for (const o of offers) {
      assert.equal(o.offer.type, 'offer');
      assert.match(o.offer.sdp, /a=candidate/); // gathered before sending: no trickle
      assert.equal(o.offer_id.length, 20);
    }
    assert.equal(second.event, undefined); // periodic update after the 1 s interval

    // A relayed offer from another peer gets a non-trickle answer addressed back to it.
    remote.createDataChannel('x');
    await remote.setLocalDescription(await remote.createOffer());
    await new Promise((r) => setTimeout(r, 500));
    const remoteId = '-XX0001-abcdefghijkl';
    const offerId = 'o'.repeat(20);
    client?.send(
      JSON.stringify({
        action: 'announce',
        info_hash: infoHash,
        peer_id: remoteId,
        offer_id: offerId,
        offer: { type: 'offer', sdp: remote.localDescription?.sdp },
      }),
    );
    await waitFor('answer', () => received.some((m) => m.answer));
    const answer = received.find((m) => m.answer)!;
    assert.deepEqual(
      { ...answer, answer: undefined },
      {
        ...answer,
        answer: undefined,
        info_hash: infoHash,
        peer_id: net.peerId,
        to_peer_id: remoteId,
        offer_id: offerId,
      },
    );
    assert.equal((answer.answer as { type: string }).type, 'answer');
    assert.match((answer.answer as { sdp: string }).sdp, /a=candidate/);

    // A second swarm of the same network shares the socket.
    const other = net.createSwarm(swarmOptions([url], { swarmKey: 'k2' }));
    await waitFor('second swarm announced', () => received.some((m) => m.info_hash !== infoHash));
    assert.equal(wss.clients.size, 1);
    other.destroy();
    assert.equal(wss.clients.size, 1);

    const count = received.length;
    swarm.destroy();
    await waitFor('stopped', () => received.slice(count).some((m) => m.event === 'stopped'));
    const stopped = received.find((m) => m.event === 'stopped')!;
    assert.equal(stopped.offers, undefined);
  } finally {
    remote.close();
    net.destroy();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});
