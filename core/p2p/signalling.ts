/** Non-trickle signalling: every SDP we hand to the tracker already carries its ICE candidates (2 messages/connection). */

export const ICE_GATHER_TIMEOUT_MS = 5000;
/**
 * Once every kind of candidate the ICE servers can give has arrived, this long more for siblings (a second host
 * address, another server's srflx), then the SDP goes out without waiting for gathering to complete.
 */
export const ICE_SETTLE_MS = 20;
export const CHANNEL_LABEL = 'swarmcast';

export interface Sdp {
  type: 'offer' | 'answer';
  sdp: string;
}

type CandidateType = 'host' | 'srflx' | 'relay';

/**
 * The candidate types worth waiting for: host (unless the policy is relay only), srflx with a STUN server, relay
 * with a TURN server.
 */
export function expectedCandidateTypes(config: RTCConfiguration): Set<CandidateType> {
  const relayOnly = config.iceTransportPolicy === 'relay';
  const wanted = new Set<CandidateType>(relayOnly ? [] : ['host']);
  for (const server of config.iceServers ?? []) {
    for (const url of typeof server.urls === 'string' ? [server.urls] : server.urls) {
      const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
      if ((scheme === 'stun' || scheme === 'stuns') && !relayOnly) wanted.add('srflx');
      if (scheme === 'turn' || scheme === 'turns') wanted.add('relay');
    }
  }
  return wanted;
}

/** `RTCIceCandidate.type`, read from the candidate line where an implementation leaves it out. */
function candidateType(c: RTCIceCandidate): string | undefined {
  return c.type ?? / typ (\w+)/.exec(c.candidate)?.[1];
}

/**
 * Resolves when the local SDP is worth sending: as soon as every expected kind of candidate is in (plus
 * ICE_SETTLE_MS), when gathering completes, or after ICE_GATHER_TIMEOUT_MS. Waiting for "complete" alone costs
 * ~120 ms on every offer even with host candidates only: Chromium's port allocator starts its UDP, relay and TCP
 * phases 50 ms apart and reports completion only after the last, while a newcomer's player is starting.
 */
function gathered(pc: RTCPeerConnection, config: RTCConfiguration): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') {
      resolve();
      return;
    }
    const missing = expectedCandidateTypes(config);
    let settle: ReturnType<typeof setTimeout> | undefined;
    // A slow STUN or TURN server must not stall us: after the timeout, send what has been gathered so far.
    const timer = setTimeout(done, ICE_GATHER_TIMEOUT_MS);
    function done(): void {
      clearTimeout(timer);
      clearTimeout(settle);
      pc.onicegatheringstatechange = pc.onicecandidate = null;
      resolve();
    }
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    pc.onicecandidate = (e) => {
      if (!e.candidate) {
        done();
        return;
      }
      const type = candidateType(e.candidate);
      if (type === 'host' || type === 'srflx' || type === 'relay') missing.delete(type);
      if (missing.size === 0) settle ??= setTimeout(done, ICE_SETTLE_MS);
    };
  });
}

async function localSdp(pc: RTCPeerConnection, type: Sdp['type'], config: RTCConfiguration): Promise<Sdp> {
  await pc.setLocalDescription(type === 'offer' ? await pc.createOffer() : await pc.createAnswer());
  await gathered(pc, config);
  const desc = pc.localDescription;
  if (!desc) throw new Error('no local description');
  return { type, sdp: desc.sdp };
}

export async function createOffer(
  Pc: typeof RTCPeerConnection,
  config: RTCConfiguration,
): Promise<{ pc: RTCPeerConnection; channel: RTCDataChannel; offer: Sdp }> {
  const pc = new Pc(config);
  try {
    const channel = pc.createDataChannel(CHANNEL_LABEL, { ordered: true });
    return { pc, channel, offer: await localSdp(pc, 'offer', config) };
  } catch (e) {
    pc.close();
    throw e;
  }
}

/** Creates the answering side; the data channel arrives later through `onChannel`. */
export async function createAnswer(
  Pc: typeof RTCPeerConnection,
  config: RTCConfiguration,
  offer: Sdp,
  onChannel: (channel: RTCDataChannel) => void,
): Promise<{ pc: RTCPeerConnection; answer: Sdp }> {
  const pc = new Pc(config);
  pc.ondatachannel = (e) => onChannel(e.channel);
  try {
    await pc.setRemoteDescription(offer);
    return { pc, answer: await localSdp(pc, 'answer', config) };
  } catch (e) {
    pc.close();
    throw e;
  }
}

export function isSdp(x: unknown, type: Sdp['type']): x is Sdp {
  return typeof x === 'object' && x !== null && (x as Sdp).type === type && typeof (x as Sdp).sdp === 'string';
}
