/**
 * Hashing in Chromium with and without crypto.subtle: a plain-HTTP page has no subtle, and its viewers must still
 * hash the swarm key (tracker info_hash) and check hash lists. Two swarms meet through the real tracker with
 * subtle hidden.
 */
import { expect } from 'chai';
import { testEnv } from '../../env.js';
import { hex, sha1, sha256 } from '../../../../core/integrity/hash.js';
import { createP2PNetwork, type P2PNetwork, type Swarm } from '../../../../core/p2p/index.js';

function hideSubtle(): () => void {
  Object.defineProperty(window.crypto, 'subtle', { value: undefined, configurable: true });
  return () => {
    delete (window.crypto as { subtle?: SubtleCrypto }).subtle;
  };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('core/integrity/hash in the browser', () => {
  let restore: (() => void) | undefined;
  let networks: P2PNetwork[] = [];

  afterEach(() => {
    restore?.();
    restore = undefined;
    for (const n of networks) n.destroy();
    networks = [];
  });

  it('gives the same SHA-256 and SHA-1 with crypto.subtle hidden as through crypto.subtle', async () => {
    const input = new Uint8Array(200_003);
    for (let i = 0; i < input.length; i += 65536) crypto.getRandomValues(input.subarray(i, i + 65536));
    const view = input.subarray(3); // unaligned view, as a segment cut out of a bigger buffer
    const native256 = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', view)));
    const native1 = hex(new Uint8Array(await crypto.subtle.digest('SHA-1', view)));
    restore = hideSubtle();
    expect(window.crypto.subtle).to.equal(undefined);
    expect(hex(await sha256(view))).to.equal(native256);
    expect(hex(await sha1(view))).to.equal(native1);
  });

  it('two swarms meet through the tracker with crypto.subtle hidden (a plain-HTTP page)', async function () {
    this.timeout(30_000);
    restore = hideSubtle();
    const platform = { RTCPeerConnection, WebSocket, now: () => performance.now(), random: Math.random };
    networks = [createP2PNetwork(platform), createP2PNetwork(platform)];
    const key = `swarmcast:v1|plain-http-${Math.random().toString(36).slice(2)}|720p`;
    const options = {
      swarmKey: key,
      trackerUrls: [testEnv.trackerUrl],
      rtcConfig: { iceServers: [] },
      maxPeers: 5,
      offersPerAnnounce: 2,
      maxMessageBytes: 64 * 1024,
      uploadEnabled: true,
      uploadRateBytesPerSec: 0,
      maxUploads: 0,
    };
    const a: Swarm = networks[0]!.createSwarm(options);
    await new Promise((r) => setTimeout(r, 300));
    const b: Swarm = networks[1]!.createSwarm(options);
    await waitFor('the two swarms to connect', () => a.peers().length === 1 && b.peers().length === 1);
    expect(a.infoHashHex).to.have.length(40);
    expect(a.infoHashHex).to.equal(b.infoHashHex);
  });
});
