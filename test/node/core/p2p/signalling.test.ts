/**
 * When an SDP is sent: once every kind of candidate the ICE servers can give is in (plus a short settle), not only
 * when gathering completes. Scripted peer connections on node:test's mock timers, then real ones from wrtc.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import wrtc from '@roamhq/wrtc';
import {
  ICE_GATHER_TIMEOUT_MS,
  ICE_SETTLE_MS,
  createAnswer,
  createOffer,
  expectedCandidateTypes,
} from '../../../../core/p2p/signalling.js';

/** A peer connection whose candidates and gathering states the test hands out. */
class ScriptedPeerConnection {
  static last: ScriptedPeerConnection | undefined;
  iceGatheringState: RTCIceGatheringState = 'new';
  localDescription: { type: string; sdp: string } | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  onicecandidate: ((e: { candidate: { candidate: string; type?: string } | null }) => void) | null = null;
  ondatachannel: unknown = null;
  constructor() {
    ScriptedPeerConnection.last = this;
  }
  createDataChannel(): object {
    return {};
  }
  createOffer(): Promise<{ type: string; sdp: string }> {
    return Promise.resolve({ type: 'offer', sdp: 'v=0\r\n' });
  }
  setLocalDescription(d: { type: string; sdp: string }): Promise<void> {
    this.localDescription = d;
    this.iceGatheringState = 'gathering';
    return Promise.resolve();
  }
  close(): void {
    this.iceGatheringState = 'complete';
  }
  /** A candidate as Chromium reports it (`type` set) or as the bare line (`type` left to parse). */
  candidate(type: string, withTypeField = true): void {
    const line = `candidate:1 1 udp 2113937151 192.0.2.2 40000 typ ${type} generation 0`;
    this.localDescription!.sdp += `a=${line}\r\n`;
    this.onicecandidate?.({ candidate: withTypeField ? { candidate: line, type } : { candidate: line } });
  }
  complete(): void {
    this.iceGatheringState = 'complete';
    this.onicegatheringstatechange?.();
    this.onicecandidate?.({ candidate: null });
  }
}

const Pc = ScriptedPeerConnection as unknown as typeof RTCPeerConnection;

/** Starts an offer; `settled()` tells whether its promise has resolved so far. */
async function offering(config: RTCConfiguration) {
  let done = false;
  const made = createOffer(Pc, config).then((r) => {
    done = true;
    return r;
  });
  await flushMicrotasks();
  const pc = ScriptedPeerConnection.last!;
  return { pc, made, settled: async () => (await flushMicrotasks(), done) };
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

void describe('signalling', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  void test('expected candidate types follow the ICE servers and the transport policy', () => {
    const types = (c: RTCConfiguration): string[] => [...expectedCandidateTypes(c)].sort();
    assert.deepEqual(types({}), ['host']);
    assert.deepEqual(types({ iceServers: [{ urls: 'stun:stun.example.com:3478' }] }), ['host', 'srflx']);
    assert.deepEqual(types({ iceServers: [{ urls: ['STUN:a', 'turns:b'], username: 'u', credential: 'c' }] }), [
      'host',
      'relay',
      'srflx',
    ]);
    assert.deepEqual(types({ iceTransportPolicy: 'relay', iceServers: [{ urls: ['stun:a', 'turn:b'] }] }), ['relay']);
  });

  void test('without ICE servers the offer goes out a settle after the first host candidate, not at completion', async () => {
    const { pc, made, settled } = await offering({ iceServers: [] });
    assert.equal(await settled(), false, 'nothing gathered yet');
    pc.candidate('host');
    mock.timers.tick(ICE_SETTLE_MS - 1);
    pc.candidate('host'); // the IPv6 sibling lands within the settle and is sent too
    assert.equal(await settled(), false);
    mock.timers.tick(1);
    assert.equal(await settled(), true);
    assert.equal(pc.iceGatheringState, 'gathering');
    assert.equal((await made).offer.sdp.match(/typ host/g)?.length, 2);
  });

  void test('with a STUN server it waits for a server-reflexive candidate, read from the line if need be', async () => {
    const { pc, settled } = await offering({ iceServers: [{ urls: 'stun:stun.example.com' }] });
    pc.candidate('host');
    mock.timers.tick(ICE_SETTLE_MS * 10);
    assert.equal(await settled(), false, 'host alone is not enough');
    pc.candidate('srflx', false);
    mock.timers.tick(ICE_SETTLE_MS);
    assert.equal(await settled(), true);
  });

  void test('with a TURN server it waits for a relay candidate; completion ends the wait in any case', async () => {
    const { pc, settled } = await offering({
      iceServers: [{ urls: 'turn:turn.example.com', username: 'u', credential: 'c' }],
    });
    pc.candidate('host');
    mock.timers.tick(ICE_SETTLE_MS * 10);
    assert.equal(await settled(), false);
    pc.complete();
    assert.equal(await settled(), true, 'completion without a relay candidate');
  });

  void test('an unreachable STUN server costs at most the gathering timeout', async () => {
    const { pc, settled } = await offering({ iceServers: [{ urls: 'stun:unreachable.example' }] });
    pc.candidate('host');
    mock.timers.tick(ICE_GATHER_TIMEOUT_MS - 1);
    assert.equal(await settled(), false);
    mock.timers.tick(1);
    assert.equal(await settled(), true);
  });
});

void describe('signalling with wrtc', () => {
  // Connecting the two is left to the network tests: wrtc sometimes crashes the process on exit right after a
  // connected pair is closed (seen with or without this module's code), which would fail the file at random.
  void test('an offer and its answer each carry a host candidate', async () => {
    const config: RTCConfiguration = { iceServers: [] };
    const Wrtc = wrtc.RTCPeerConnection;
    const { pc: a, offer } = await createOffer(Wrtc, config);
    const { pc: b, answer } = await createAnswer(Wrtc, config, offer, () => undefined);
    try {
      assert.match(offer.sdp, /a=candidate:.* typ host/);
      assert.match(answer.sdp, /a=candidate:.* typ host/);
    } finally {
      a.close();
      b.close();
    }
  });
});
