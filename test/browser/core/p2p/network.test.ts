/** The P2P layer on Chromium's native RTCPeerConnection and WebSocket, through the suite's real tracker. */
import { expect } from 'chai';
import { testEnv } from '../../env.js';
import { createP2PNetwork, type P2PNetwork, type P2PPlatform, type Swarm } from '../../../../core/p2p/index.js';

const platform: P2PPlatform = {
  RTCPeerConnection,
  WebSocket,
  now: () => performance.now(),
  random: Math.random,
};

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function swarm(network: P2PNetwork, key: string): Swarm {
  return network.createSwarm({
    swarmKey: key,
    trackerUrls: [testEnv.trackerUrl],
    rtcConfig: { iceServers: [] },
    maxPeers: 5,
    offersPerAnnounce: 2,
    maxMessageBytes: 64 * 1024,
    uploadEnabled: true,
    uploadRateBytesPerSec: 0,
    maxUploads: 0,
  });
}

describe('core/p2p in the browser', () => {
  let networks: P2PNetwork[] = [];
  let a: Swarm;
  let b: Swarm;

  beforeEach(async function () {
    this.timeout(30_000);
    networks = [createP2PNetwork(platform), createP2PNetwork(platform)];
    const key = `swarmcast:v1|browser-p2p-${Math.random().toString(36).slice(2)}|720p`;
    a = swarm(networks[0]!, key);
    await new Promise((r) => setTimeout(r, 300)); // a is in the tracker's swarm before b's offers arrive
    b = swarm(networks[1]!, key);
    await waitFor('connection', () => a.peers().length === 1 && b.peers().length === 1);
  });

  afterEach(() => {
    for (const n of networks) n.destroy();
    networks = [];
  });

  it('exchanges a segment byte-exact with progress, and resumes from an offset', async function () {
    this.timeout(30_000);
    const segment = new Uint8Array(500 * 1024);
    for (let i = 0; i < segment.length; i += 65536) crypto.getRandomValues(segment.subarray(i, i + 65536));
    a.setUploadSource((id) => Promise.resolve(id === 'seg-7' ? segment : undefined));
    a.announceHave('seg-7');
    await waitFor('announcement', () => b.whoHas('seg-7').length === 1);
    const d = b.download(networks[0]!.peerId, 'seg-7', 0);
    let progress = 0;
    d.onProgress = () => progress++;
    expect(await d.result).to.deep.equal(segment);
    expect(progress).to.be.greaterThan(5);
    const tail = await b.download(networks[0]!.peerId, 'seg-7', 400_000).result;
    expect(tail).to.deep.equal(segment.subarray(400_000));
  });

  it('drops a peer that sends garbage, without throwing into the page', async function () {
    this.timeout(30_000);
    const reasons: string[] = [];
    b.on('peer-close', (_id, reason) => reasons.push(reason));
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent): void => {
      errors.push(e.error);
    };
    window.addEventListener('error', onError);
    try {
      // Write straight into A's data channel, bypassing A's encoder: B must see an unknown message type.
      const channel = (a.peers()[0] as unknown as { channel: RTCDataChannel }).channel;
      channel.send(new Uint8Array([99, 0, 0, 0, 3, 1, 2, 3]));
      await waitFor('drop', () => reasons.length === 1);
      expect(reasons[0]).to.match(/protocol error: unknown message type 99/);
      await waitFor('a sees the close', () => a.peers().length === 0);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});
