import { PEER_ID_PREFIX, randomId } from './ids.js';
import { SwarmImpl } from './swarm.js';
import { TrackerSocket, type TrackerTimings } from './tracker-client.js';
import type { P2PNetwork, P2PPlatform, Swarm, SwarmOptions } from './types.js';

/** Wire protocol version; peers with another version refuse each other at handshake. */
export const PROTOCOL_VERSION = 1;

/** Test hooks; the engine never passes these. */
export interface P2PNetworkInternals {
  protocolVersion?: number;
  /** Shorter tracker liveness and reconnect timings, so tests do not wait for the real ones. */
  trackerTimings?: TrackerTimings;
}

export function createP2PNetwork(platform: P2PPlatform, internals: P2PNetworkInternals = {}): P2PNetwork {
  const peerId = randomId(platform.random, PEER_ID_PREFIX);
  const sockets = new Map<string, TrackerSocket>();
  const swarms = new Set<Swarm>();
  let destroyed = false;

  const ctx = {
    peerId,
    platform,
    protocolVersion: internals.protocolVersion ?? PROTOCOL_VERSION,
    tracker(url: string): TrackerSocket {
      let socket = sockets.get(url);
      if (!socket) {
        socket = new TrackerSocket(
          url,
          platform.WebSocket,
          platform.random,
          (s) => {
            if (sockets.get(url) === s) sockets.delete(url);
          },
          internals.trackerTimings,
        );
        sockets.set(url, socket);
      }
      return socket;
    },
    onDestroy(swarm: Swarm): void {
      swarms.delete(swarm);
    },
  };

  return {
    peerId,
    createSwarm(options: SwarmOptions): Swarm {
      if (destroyed) throw new Error('P2P network destroyed');
      const swarm = new SwarmImpl(options, ctx);
      swarms.add(swarm);
      return swarm;
    },
    destroy(): void {
      destroyed = true;
      for (const swarm of [...swarms]) swarm.destroy();
      for (const socket of [...sockets.values()]) socket.destroy();
    },
  };
}
