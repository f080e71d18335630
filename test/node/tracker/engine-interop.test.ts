/**
 * A bittorrent-tracker 10.0.12 client (simple-peer over @roamhq/wrtc) and a swarmcast engine meet through our
 * tracker: signalling works across implementations (the client's offer is answered by the engine) and the engine's
 * handshake frame reaches the client over the data channel. Peers that then send non-protocol bytes are covered
 * by the P2P layer's fuzz tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { Client, type SimplePeer } from 'bittorrent-tracker';
import { createTracker } from '../../../tracker/index.js';
import { Engine } from '../../../core/index.js';
import { infoHashFromSwarmKey, toHex } from '../../../core/p2p/index.js';

void test(
  'a bittorrent-tracker client and a swarmcast engine connect through our tracker and exchange data',
  { timeout: 60_000 },
  async () => {
    const tracker = await createTracker({ port: 0 });
    const engine = new Engine(
      {
        trackerUrls: [`${tracker.url}/engine`],
        rtcConfig: { iceServers: [] },
        offersPerAnnounce: 2,
        p2pJoinWhenPlayable: false,
      },
      {
        RTCPeerConnection: wrtc.RTCPeerConnection,
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      },
    );
    engine.setContent({ manifestUrl: 'https://cdn.example/interop/master.m3u8' });
    const stream = engine.addStream({ type: 'main', rendition: { bandwidth: 100000 } });
    engine.updateSegments(
      stream,
      [{ id: 't0', url: 'https://cdn.example/interop/0.ts', startSec: 0, durationSec: 2 }],
      {
        live: false,
      },
    );
    engine.setActiveStream(stream);
    engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 0 });
    const swarmKey = engine.getSwarmKey(stream);
    assert.ok(swarmKey, 'the engine built a swarm key');
    const infoHash = toHex(await infoHashFromSwarmKey(swarmKey));

    const client = new Client({
      infoHash,
      peerId: randomBytes(20).toString('hex'),
      announce: `${tracker.url}/bt`,
      port: 6881,
      wrtc,
      rtcConfig: { iceServers: [] },
    });
    const peers: SimplePeer[] = [];
    const errors: string[] = [];
    client.on('warning', (e: Error) => errors.push(e.message));
    client.on('error', (e: Error) => errors.push(e.message));
    try {
      const firstFrame = new Promise<Uint8Array>((resolve) => {
        client.on('peer', (peer: SimplePeer) => {
          peers.push(peer);
          peer.once('data', (data: Uint8Array) => {
            resolve(new Uint8Array(data));
          });
        });
      });
      client.start();

      const frame = await Promise.race([
        firstFrame,
        new Promise<never>((_, reject) =>
          setTimeout(() => {
            reject(new Error(`no data from the engine within 20 s; client warnings: ${errors.join('; ')}`));
          }, 20_000),
        ),
      ]);
      // Our wire protocol: type 0 (HANDSHAKE), u32 body length, then the magic "SWCS".
      assert.equal(frame[0], 0, 'first message is a HANDSHAKE frame');
      assert.equal(new TextDecoder().decode(frame.subarray(5, 9)), 'SWCS');

      // And the engine still works normally afterwards (no exception escaped the peer layer).
      assert.equal(typeof engine.getStats().p2pRatio, 'number');
    } finally {
      for (const p of peers) p.destroy();
      // bittorrent-tracker's client may never call back once its peers are gone; don't let cleanup hang.
      await Promise.race([
        new Promise<void>((resolve) => {
          client.destroy(() => {
            resolve();
          });
        }),
        new Promise<void>((resolve) => setTimeout(resolve, 2000)),
      ]);
      engine.destroy();
      await tracker.close();
    }
  },
);
