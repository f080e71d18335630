/** A connector's surroundings without a network: a recording tracker socket, scripted peer connections, a host. */
import { Connector, type ConnectorHost } from '../../../../core/p2p/connector.js';
import type { TrackerSocket } from '../../../../core/p2p/tracker-client.js';

export class FakePeerConnection {
  static instances: FakePeerConnection[] = [];
  /** Answers wait for this before their remote description is set; replace it to hold them. */
  static remoteDescriptionSet: Promise<void> = Promise.resolve();
  closed = false;
  iceGatheringState = 'complete';
  localDescription: { type: string; sdp: string } | null = null;
  onconnectionstatechange = null;
  onicegatheringstatechange = null;
  onicecandidate = null;
  ondatachannel = null;
  constructor() {
    FakePeerConnection.instances.push(this);
  }
  createDataChannel(): object {
    return {};
  }
  createOffer(): Promise<{ type: string; sdp: string }> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0 fake' });
  }
  createAnswer(): Promise<{ type: string; sdp: string }> {
    return Promise.resolve({ type: 'answer', sdp: 'v=0 fake' });
  }
  setRemoteDescription(): Promise<void> {
    return FakePeerConnection.remoteDescriptionSet;
  }
  setLocalDescription(d: { type: string; sdp: string }): Promise<void> {
    this.localDescription = d;
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
  }
}

export interface FakeTracker {
  sent: Record<string, unknown>[];
  tracker: TrackerSocket;
  host: ConnectorHost;
  /** `peers[0]`: what the host reports as connected or handshaking. */
  peers: number[];
}

/** A tracker socket that records what the connector sends, and a host that wants 3 offers. */
export function fakeTracker(): FakeTracker {
  const sent: Record<string, unknown>[] = [];
  const peers = [0];
  const tracker = {
    url: 'ws://t',
    open: true,
    add: () => undefined,
    remove: () => undefined,
    send: (m: Record<string, unknown>) => sent.push(m) > 0,
  } as unknown as TrackerSocket;
  const host: ConnectorHost = {
    peerId: '-SC0001-aaaaaaaaaaaa',
    rtcConfig: {},
    RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    random: Math.random,
    wantedOffers: () => 3,
    nextTask: () => Promise.resolve(),
    peerCount: () => peers[0] ?? 0,
    accepts: () => true,
    settleCrossedOffers: () => true,
    connect: () => {
      throw new Error('unexpected');
    },
    onTrackerProblem: () => undefined,
  };
  return { sent, tracker, host, peers };
}

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

export interface JoinedConnector extends FakeTracker {
  connector: Connector;
  /** Delivers a message from the tracker, as an announce response for our swarm plus `fields`. */
  respond: (fields: Record<string, unknown>) => void;
}

/**
 * A connector on `fakeTracker()` that has joined: its `started` announce was answered with `counts` (us and four
 * others by default) and, if that counted others, its offers have gone out.
 */
export async function joinedConnector(
  counts: Record<string, unknown> = { complete: 0, incomplete: 5 },
  hostChanges: Partial<ConnectorHost> = {},
): Promise<JoinedConnector> {
  const fake = fakeTracker();
  const connector = new Connector('i'.repeat(20), { ...fake.host, ...hostChanges }, [fake.tracker]);
  const respond = (fields: Record<string, unknown>): void =>
    connector.onTrackerMessage(fake.tracker, { action: 'announce', info_hash: 'i'.repeat(20), ...fields });
  connector.onTrackerOpen(fake.tracker);
  await flush();
  respond(counts);
  await flush();
  return { ...fake, connector, respond };
}
