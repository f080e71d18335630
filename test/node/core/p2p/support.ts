/** Shared pieces for the P2P tests: a Node platform (@roamhq/wrtc + ws) and small waiting helpers. */
import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import type { P2PPlatform, Swarm, SwarmEventMap, SwarmOptions } from '../../../../core/p2p/index.js';

export const platform: P2PPlatform = {
  RTCPeerConnection: wrtc.RTCPeerConnection,
  WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  now: () => performance.now(),
  random: Math.random,
};

export function swarmOptions(trackerUrls: string[], overrides: Partial<SwarmOptions> = {}): SwarmOptions {
  return {
    swarmKey: 'swarmcast:v1|test|video-720p',
    trackerUrls,
    rtcConfig: { iceServers: [] },
    maxPeers: 5,
    offersPerAnnounce: 2,
    maxMessageBytes: 16 * 1024,
    uploadEnabled: true,
    uploadRateBytesPerSec: 0,
    maxUploads: 0,
    ...overrides,
  };
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with the arguments of the next `event`, or rejects after the timeout. */
export function next<K extends keyof SwarmEventMap>(
  swarm: Swarm,
  event: K,
  timeoutMs = 15_000,
): Promise<Parameters<SwarmEventMap[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = ((...args: Parameters<SwarmEventMap[K]>) => {
      clearTimeout(timer);
      swarm.off(event, listener);
      resolve(args);
    }) as SwarmEventMap[K];
    swarm.on(event, listener);
  });
}

export function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  return b;
}
