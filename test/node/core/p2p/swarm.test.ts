/** Swarm behaviour on real WebRTC and real trackers: refusals, bans, tracker outages, tracker errors, meshes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Server } from 'bittorrent-tracker';
import { WebSocketServer } from 'ws';
import type { ConnectorHost } from '../../../../core/p2p/connector.js';
import { createP2PNetwork, type P2PNetwork, type Swarm } from '../../../../core/p2p/index.js';
import { JOIN_WINDOW_MS } from '../../../../core/p2p/swarm.js';
import type { TrackerTimings } from '../../../../core/p2p/tracker-client.js';
import { startTestTracker } from '../../../support/test-tracker.js';
import { next, platform, swarmOptions, waitFor } from './support.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Reconnect timings at a tenth of the real ones (TRACKER_TIMINGS), for tests that reconnect. */
const FAST_TRACKER: TrackerTimings = {
  silenceMs: 4000,
  replyTimeoutMs: 1000,
  connectTimeoutMs: 1000,
  reconnectMinMs: 100,
  reconnectWindowMs: 1000,
  reconnectWindowMaxMs: 2000,
};

async function pair(
  url: string,
  versionB?: number,
  trackerTimings?: TrackerTimings,
): Promise<[P2PNetwork, P2PNetwork, Swarm, Swarm]> {
  const a = createP2PNetwork(platform, { trackerTimings });
  const b = createP2PNetwork(platform, {
    trackerTimings,
    ...(versionB === undefined ? {} : { protocolVersion: versionB }),
  });
  const sa = a.createSwarm(swarmOptions([url]));
  await sleep(300);
  const sb = b.createSwarm(swarmOptions([url]));
  return [a, b, sa, sb];
}

void describe('swarm', { timeout: 60_000 }, () => {
  void test('connectingPeers counts the join: until the tracker counts nobody else, at most JOIN_WINDOW_MS', async () => {
    const tracker = await startTestTracker();
    let skewMs = 0;
    const clock = { ...platform, now: () => performance.now() + skewMs };
    const a = createP2PNetwork(clock);
    const b = createP2PNetwork(clock);
    try {
      const alone = a.createSwarm(swarmOptions([tracker.url]));
      assert.equal(alone.connectingPeers(), 1, 'peers expected right after joining');
      await waitFor('the tracker to count nobody else', () => alone.connectingPeers() === 0);
      // Nothing listens on port 1: no tracker ever answers, and the wait for peers is bounded.
      const unanswered = b.createSwarm(swarmOptions(['ws://127.0.0.1:1'], { swarmKey: 'swarmcast:v1|test|other' }));
      await sleep(200);
      assert.equal(unanswered.connectingPeers(), 1);
      skewMs += JOIN_WINDOW_MS;
      assert.equal(unanswered.connectingPeers(), 0);
    } finally {
      a.destroy();
      b.destroy();
      await tracker.close();
    }
  });

  void test("swarmSize is the tracker's count, us included, not only the peers we connected to", async () => {
    const tracker = await startTestTracker();
    const nets = [0, 1, 2].map(() => createP2PNetwork(platform));
    try {
      // One peer each at most: the third viewer can connect to one of the two others, and still counts three.
      const swarms = [];
      for (const net of nets) {
        swarms.push(net.createSwarm(swarmOptions([tracker.url], { maxPeers: 1 })));
        await sleep(300);
      }
      const third = swarms[2]!;
      await waitFor('the tracker to count all three', () => third.swarmSize() === 3);
      assert.ok(third.peers().length <= 1);
      nets[0]!.destroy();
      nets[1]!.destroy();
      // A departure shows at the next announce; until then the count stands, and never falls under peers + 1.
      assert.ok(third.swarmSize() >= third.peers().length + 1);
    } finally {
      for (const net of nets) net.destroy();
      await tracker.close();
    }
  });

  void test('protocol version mismatch: both sides report peer-refused and never connect', async () => {
    const tracker = await startTestTracker();
    const [a, b, sa, sb] = await pair(tracker.url, 2);
    try {
      const [[, reasonA], [, reasonB]] = await Promise.all([next(sa, 'peer-refused'), next(sb, 'peer-refused')]);
      assert.match(reasonA, /version mismatch: ours 1, theirs 2/);
      assert.match(reasonB, /version mismatch: ours 2, theirs 1/);
      assert.equal(sa.peers().length + sb.peers().length, 0);
    } finally {
      a.destroy();
      b.destroy();
      await tracker.close();
    }
  });

  void test('ban closes the peer and keeps it out', async () => {
    const tracker = await startTestTracker();
    const [a, b, sa, sb] = await pair(tracker.url);
    try {
      await next(sa, 'peer-connect');
      const closed = next(sa, 'peer-close');
      sa.banPeer(b.peerId, 'sent bad data');
      assert.match((await closed)[1], /banned: sent bad data/);
      await waitFor('b sees the close', () => sb.peers().length === 0);
      assert.equal(sa.peers().length, 0);
    } finally {
      a.destroy();
      b.destroy();
      await tracker.close();
    }
  });

  void test('abrupt connection loss (no BYE) mid-transfer: peer-closed with the partial bytes', async () => {
    const tracker = await startTestTracker();
    const [a, b, sa, sb] = await pair(tracker.url);
    try {
      await waitFor('connected', () => sa.peers().length === 1 && sb.peers().length === 1);
      sa.setUploadSource(() => Promise.resolve(new Uint8Array(1 << 20)));
      sa.setUploadRate(100_000);
      const d = sb.download(a.peerId, 'big', 0);
      await waitFor('first bytes', () => d.receivedBytes > 0);
      // Kill the transport under A's peer without any goodbye, as a crashed tab would.
      (sa.peers()[0] as unknown as { pc: RTCPeerConnection }).pc.close();
      await assert.rejects(d.result, (e: { type: string }) => e.type === 'peer-closed');
      assert.equal(d.receivedData().length, d.receivedBytes);
      await waitFor('b dropped the peer', () => sb.peers().length === 0);
    } finally {
      a.destroy();
      b.destroy();
      await tracker.close();
    }
  });

  void test('maxUploads: a further peer is answered BUSY, a peer already served may queue more', async () => {
    const tracker = await startTestTracker();
    const [a, b, c] = [createP2PNetwork(platform), createP2PNetwork(platform), createP2PNetwork(platform)];
    const sa = a.createSwarm(swarmOptions([tracker.url], { maxUploads: 1 }));
    await sleep(300);
    // One at a time: this test is about upload slots, not about who meets whom when two join in the same instant.
    const sb = b.createSwarm(swarmOptions([tracker.url]));
    await sleep(300);
    const sc = c.createSwarm(swarmOptions([tracker.url]));
    try {
      await waitFor('connected', () => [sb, sc].every((s) => s.peers().some((p) => p.id === a.peerId)), 20_000);
      sa.setUploadSource(() => Promise.resolve(new Uint8Array(200_000)));
      sa.setUploadRate(400_000);
      const first = sb.download(a.peerId, 's1', 0);
      await waitFor('first upload running', () => first.receivedBytes > 0);
      const queued = sb.download(a.peerId, 's2', 0);
      const other = sc.download(a.peerId, 's1', 0);
      await assert.rejects(other.result, (e: { type: string }) => e.type === 'busy');
      assert.equal((await first.result).length, 200_000);
      assert.equal((await queued.result).length, 200_000);
      const later = sc.download(a.peerId, 's1', 0);
      assert.equal((await later.result).length, 200_000);
      assert.ok(
        sc.peers().some((p) => p.id === a.peerId),
        'BUSY is not a protocol error',
      );
    } finally {
      for (const n of [a, b, c]) n.destroy();
      await tracker.close();
    }
  });

  void test('tracker down at start: swarms connect once it comes up', async () => {
    const tracker = await startTestTracker();
    await tracker.stop();
    const [a, b, sa, sb] = await pair(tracker.url, undefined, FAST_TRACKER);
    const warnings: string[] = [];
    sb.on('tracker-warning', (_url, m) => warnings.push(m)); // sb was created just now: no warning missed
    try {
      await sleep(1000);
      assert.equal(sa.peers().length, 0);
      await tracker.start();
      await waitFor('connected after tracker start', () => sa.peers().length === 1 && sb.peers().length === 1, 20_000);
      assert.ok(
        warnings.some((w) => w.includes('reconnecting')),
        JSON.stringify(warnings),
      );
    } finally {
      a.destroy();
      b.destroy();
      await tracker.close();
    }
  });

  void test('tracker errors about our swarm, garbage and disconnects become events, never exceptions', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const address = wss.address();
    const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    let announces = 0;
    wss.on('connection', (ws) => {
      ws.on('message', (raw: Buffer) => {
        const m = JSON.parse(raw.toString()) as { info_hash: string };
        announces++;
        ws.send(
          JSON.stringify({ 'failure reason': 'torrent not allowed', action: 'announce', info_hash: m.info_hash }),
        );
        ws.send(JSON.stringify({ 'failure reason': 'Invalid request' }));
        ws.send('not json');
        ws.send(JSON.stringify({ action: 'announce', info_hash: m.info_hash, interval: 'soon', offer: 42 }));
        if (announces === 1) ws.close();
      });
    });
    const net = createP2PNetwork(platform, { trackerTimings: FAST_TRACKER });
    const swarm = net.createSwarm(swarmOptions([url]));
    const errors: string[] = [];
    const warnings: string[] = [];
    swarm.on('tracker-error', (_u, m) => errors.push(m));
    swarm.on('tracker-warning', (_u, m) => warnings.push(m));
    try {
      await waitFor('re-announced after disconnect', () => announces >= 2, 10_000);
      await waitFor('errors', () => errors.length >= 2);
      // An error that names no swarm (like aquatic's "Invalid request") concerns none of ours.
      assert.ok(
        errors.every((e) => e === 'torrent not allowed'),
        JSON.stringify(errors),
      );
      assert.ok(warnings.some((w) => w.includes('reconnecting')));
    } finally {
      net.destroy();
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  void test('three networks on two trackers (one with a 1 s interval) form one stable mesh', async () => {
    const second = await startTestTracker();
    const server = new Server({ udp: false, http: false, ws: true, stats: false, interval: 5000 });
    server.on('warning', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `ws://127.0.0.1:${server.ws?.address().port ?? 0}`;
    const nets = [0, 1, 2].map(() => createP2PNetwork(platform));
    const swarms = nets.map((n) => n.createSwarm(swarmOptions([url, second.url, url])));
    const closes: string[] = [];
    for (const s of swarms) s.on('peer-close', (_id, reason) => closes.push(reason));
    try {
      await waitFor('full mesh', () => swarms.every((s) => s.peers().length === 2), 20_000);
      await sleep(3000); // several more announce rounds: offers keep crossing, the mesh must not change
      for (const [i, s] of swarms.entries()) {
        const ids = s.peers().map((p) => p.id);
        assert.equal(new Set(ids).size, 2);
        assert.ok(!ids.includes(nets[i]?.peerId ?? ''));
      }
      // Crossing offers may replace a connection (at most once per side of each pair); nothing else may close.
      assert.ok(closes.length <= 6 && closes.every((r) => r.includes('duplicate')), JSON.stringify(closes));
      assert.ok(swarms.every((s) => s.peers().every((p) => p.throughputBytesPerSec === undefined)));
    } finally {
      for (const n of nets) n.destroy();
      await second.close();
      await new Promise((r) => server.close(r));
    }
  });
});

void describe('peer cap', { timeout: 30_000 }, () => {
  void test('maxPeers: 1 — offers and answers beyond the cap are declined', async () => {
    const server = new Server({ udp: false, http: false, ws: true, stats: false, interval: 5000 });
    server.on('warning', () => undefined);
    await new Promise<void>((r) => {
      server.listen(0, '127.0.0.1', r);
    });
    const url = `ws://127.0.0.1:${server.ws?.address().port ?? 0}`;
    const nets = [0, 1, 2].map(() => createP2PNetwork(platform));
    const swarms = nets.map((n) => n.createSwarm(swarmOptions([url], { maxPeers: 1 })));
    try {
      await waitFor('a pair', () => swarms.some((s) => s.peers().length === 1), 15_000);
      await sleep(3000);
      assert.ok(swarms.every((s) => s.peers().length <= 1));
    } finally {
      for (const n of nets) n.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

void describe('duplicate connections', () => {
  // Drives SwarmImpl.onReady with two handshaked connections to the same remote, as crossing offers produce.
  void test('both sides keep the connection initiated by the lower peer id', async () => {
    const { Peer } = await import('../../../../core/p2p/peer.js');
    const { harnessChannel } = await import('./fake-channel.js');
    const net = createP2PNetwork(platform);
    const swarm = net.createSwarm(swarmOptions([]));
    const events: string[] = [];
    swarm.on('peer-connect', (p) => events.push(`connect ${p.id}`));
    swarm.on('peer-close', (id, reason) => events.push(`close ${id} ${reason}`));
    await waitFor('hashed', () => swarm.infoHashHex !== '');
    const host = swarm as unknown as ConstructorParameters<typeof Peer>[2];
    const remote = 'ZZZZZZZZZZZZZZZZZZZZ'; // sorts after '-SC0001-…', so the local id is the lower one
    const connect = (initiator: string): InstanceType<typeof Peer> => {
      const p = new Peer(remote, initiator, host);
      harnessChannel(p, host.infoHash);
      return p;
    };
    try {
      const theirs = connect(remote);
      assert.deepEqual(events, [`connect ${remote}`]);
      const ours = connect(net.peerId);
      assert.ok(theirs.closed && !ours.closed);
      assert.equal(swarm.peers()[0], ours);
      const again = connect(remote);
      assert.ok(again.closed && !ours.closed);
      assert.equal(events.length, 3);
      assert.match(events[1] ?? '', /replaced by duplicate/);
    } finally {
      net.destroy();
    }
  });

  // Drives the connector's host: an answer to our offer arrives while the remote's own offer is mid-handshake.
  void test('crossed offers before either completes: both sides settle on the lower id’s, freeing the slot', async () => {
    const net = createP2PNetwork(platform);
    const swarm = net.createSwarm(swarmOptions([], { maxPeers: 1 }));
    await waitFor('hashed', () => swarm.infoHashHex !== '');
    const host = (swarm as unknown as { connectorHost(): ConnectorHost }).connectorHost();
    const fakePc = (): RTCPeerConnection => ({ close: () => undefined }) as unknown as RTCPeerConnection;
    const higher = 'ZZZZZZZZZZZZZZZZZZZZ'; // sorts after '-SC0001-…'
    const lower = '!!!!!!!!!!!!!!!!!!!!'; // sorts before it
    try {
      assert.equal(host.settleCrossedOffers(higher), true, 'nothing crossed');
      const theirs = host.connect(higher, higher, fakePc());
      assert.equal(host.accepts(higher), false, 'its handshake fills the only slot');
      assert.equal(host.settleCrossedOffers(higher), true, 'our id is lower: ours is kept');
      assert.ok(theirs.closed);
      assert.equal(host.accepts(higher), true, 'and the slot is free for it');

      const lowers = host.connect(lower, lower, fakePc());
      assert.equal(host.settleCrossedOffers(lower), false, 'its id is lower: its connection is kept');
      assert.ok(!lowers.closed);
    } finally {
      net.destroy();
    }
  });
});
