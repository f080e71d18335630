/** Time-driven behaviour on node:test's mock timers: reconnect backoff, offer expiry, connection timeout. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { Connector, type ConnectorHost } from '../../../../core/p2p/connector.js';
import { CONNECT_TIMEOUT_MS } from '../../../../core/p2p/peer.js';
import { RECONNECT_MAX_MS, RECONNECT_MIN_MS, TrackerSocket } from '../../../../core/p2p/tracker-client.js';
import { harness } from './fake-channel.js';

class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.fail();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  fail(): void {
    this.readyState = 3;
    this.onerror?.();
    this.onclose?.();
  }
}

class FakePeerConnection {
  static instances: FakePeerConnection[] = [];
  closed = false;
  iceGatheringState = 'complete';
  localDescription: { type: string; sdp: string } | null = null;
  onconnectionstatechange = null;
  onicegatheringstatechange = null;
  onicecandidate = null;
  constructor() {
    FakePeerConnection.instances.push(this);
  }
  createDataChannel(): object {
    return {};
  }
  createOffer(): Promise<{ type: string; sdp: string }> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0 fake' });
  }
  setLocalDescription(d: { type: string; sdp: string }): Promise<void> {
    this.localDescription = d;
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

void describe('timers', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    FakeWebSocket.instances = [];
    FakePeerConnection.instances = [];
  });
  afterEach(() => {
    mock.timers.reset();
  });

  void test('tracker reconnect: exponential backoff capped at the maximum, reset once the tracker talks', () => {
    const socket = new TrackerSocket(
      'ws://t',
      FakeWebSocket as unknown as typeof WebSocket,
      () => 1, // no jitter reduction: delay = base
      () => undefined,
    );
    const expected = [1, 2, 4, 8, 16, 32, 64, 64].map((k) => Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * k));
    for (const delay of expected) {
      const count = FakeWebSocket.instances.length;
      FakeWebSocket.instances.at(-1)?.fail();
      mock.timers.tick(delay - 1);
      assert.equal(FakeWebSocket.instances.length, count, `no reconnect before ${delay} ms`);
      mock.timers.tick(1);
      assert.equal(FakeWebSocket.instances.length, count + 1, `reconnect at ${delay} ms`);
    }
    const ws = FakeWebSocket.instances.at(-1);
    ws?.open();
    ws?.onmessage?.({ data: JSON.stringify({ action: 'announce', interval: 120 }) });
    ws?.fail();
    mock.timers.tick(RECONNECT_MIN_MS);
    assert.equal(FakeWebSocket.instances.length, expected.length + 2);
    socket.destroy();
  });

  void test('offers unanswered for 50 s are closed', async () => {
    const sent: Record<string, unknown>[] = [];
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
      accepts: () => true,
      connect: () => {
        throw new Error('unexpected');
      },
      onTrackerProblem: () => undefined,
    };
    const connector = new Connector('i'.repeat(20), host, [tracker]);
    connector.onTrackerOpen(tracker);
    await flush();
    assert.equal((sent[0]?.offers as unknown[]).length, 3);
    assert.equal(connector.pendingOffers, 3);
    const first = FakePeerConnection.instances.slice();
    mock.timers.tick(30_000); // the periodic re-announce (no interval from the tracker yet) makes 3 more
    await flush();
    assert.equal(sent.length, 2);
    assert.equal(sent[1]?.event, undefined);
    mock.timers.tick(19_999);
    assert.ok(first.every((pc) => !pc.closed));
    mock.timers.tick(1);
    assert.ok(first.every((pc) => pc.closed));
    assert.equal(connector.pendingOffers, 3);
    connector.destroy();
    assert.equal(sent.at(-1)?.event, 'stopped');
    assert.ok(FakePeerConnection.instances.every((pc) => pc.closed));
  });

  void test('a connection without a handshake is closed after the connect timeout', () => {
    const h = harness({ handshake: false });
    mock.timers.tick(CONNECT_TIMEOUT_MS - 1);
    assert.ok(!h.peer.closed);
    mock.timers.tick(1);
    assert.deepEqual(h.closes, ['connection timeout']);
  });
});
