/**
 * In-page connection tracker (browser side): wraps `RTCPeerConnection` and `WebSocket` so a test can check that
 * disposing a player left no peer connection or tracker socket open. Import it first in a viewer entry, before
 * anything creates a connection. In a page without `RTCPeerConnection` (no-WebRTC browsers) only sockets are
 * tracked.
 */
const peers: RTCPeerConnection[] = [];
const sockets: WebSocket[] = [];
/** Peer connections that reached `connected` at least once (a failed handshake never does). */
let peersEverConnected = 0;
const socketMessages = { sent: 0, received: 0 };
/** Our own tracker peer ids, read from the announces this page sent (to tell which peer is which browser). */
const ownPeerIds = new Set<string>();

const NativePc = window.RTCPeerConnection as typeof RTCPeerConnection | undefined;
const NativeWs = window.WebSocket;

if (NativePc) {
  window.RTCPeerConnection = class extends NativePc {
    constructor(config?: RTCConfiguration) {
      super(config);
      peers.push(this);
      let counted = false;
      this.addEventListener('connectionstatechange', () => {
        if (this.connectionState === 'connected' && !counted) {
          counted = true;
          peersEverConnected++;
        }
      });
    }
  };
}

window.WebSocket = class extends NativeWs {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
    this.addEventListener('message', () => socketMessages.received++);
  }

  override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    socketMessages.sent++;
    if (typeof data === 'string' && data.includes('"peer_id"')) {
      try {
        const id = (JSON.parse(data) as { peer_id?: unknown }).peer_id;
        if (typeof id === 'string') ownPeerIds.add(id);
      } catch {
        // not JSON: not an announce
      }
    }
    super.send(data);
  }
};

export interface OpenConnections {
  /** Peer connections ever created / still not closed. */
  peersCreated: number;
  peersOpen: number;
  socketsCreated: number;
  socketsOpen: number;
  /** Diagnostics for a viewer that found no peer: handshakes completed, states now, tracker traffic. */
  peersEverConnected: number;
  peerStates: Record<string, number>;
  socketMessagesSent: number;
  socketMessagesReceived: number;
  /** Tracker peer ids this page announced with. */
  ownPeerIds: string[];
}

export function openConnections(): OpenConnections {
  return {
    peersCreated: peers.length,
    peersOpen: peers.filter((pc) => pc.signalingState !== 'closed').length,
    socketsCreated: sockets.length,
    socketsOpen: sockets.filter((ws) => ws.readyState === NativeWs.CONNECTING || ws.readyState === NativeWs.OPEN)
      .length,
    peersEverConnected,
    peerStates: peers.reduce<Record<string, number>>((acc, pc) => {
      acc[pc.connectionState] = (acc[pc.connectionState] ?? 0) + 1;
      return acc;
    }, {}),
    socketMessagesSent: socketMessages.sent,
    socketMessagesReceived: socketMessages.received,
    ownPeerIds: [...ownPeerIds],
  };
}
