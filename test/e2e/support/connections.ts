/**
 * In-page connection tracker (browser side): wraps `RTCPeerConnection` and `WebSocket` so a test can check that
 * disposing a player left no peer connection or tracker socket open. Import it first in a viewer entry, before
 * anything creates a connection.
 */
const peers: RTCPeerConnection[] = [];
const sockets: WebSocket[] = [];

const NativePc = window.RTCPeerConnection;
const NativeWs = window.WebSocket;

window.RTCPeerConnection = class extends NativePc {
  constructor(config?: RTCConfiguration) {
    super(config);
    peers.push(this);
  }
};

window.WebSocket = class extends NativeWs {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
};

export interface OpenConnections {
  /** Peer connections ever created / still not closed. */
  peersCreated: number;
  peersOpen: number;
  socketsCreated: number;
  socketsOpen: number;
}

export function openConnections(): OpenConnections {
  return {
    peersCreated: peers.length,
    peersOpen: peers.filter((pc) => pc.signalingState !== 'closed').length,
    socketsCreated: sockets.length,
    socketsOpen: sockets.filter((ws) => ws.readyState === NativeWs.CONNECTING || ws.readyState === NativeWs.OPEN)
      .length,
  };
}
