/** Non-trickle signalling: every SDP we hand to the tracker already carries all ICE candidates (2 messages/connection). */

export const ICE_GATHER_TIMEOUT_MS = 5000;
export const CHANNEL_LABEL = 'swarmcast';

export interface Sdp {
  type: 'offer' | 'answer';
  sdp: string;
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') {
      resolve();
      return;
    }
    // A slow STUN server must not stall us: after the timeout, send what has been gathered so far.
    const timer = setTimeout(done, ICE_GATHER_TIMEOUT_MS);
    function done(): void {
      clearTimeout(timer);
      pc.onicegatheringstatechange = pc.onicecandidate = null;
      resolve();
    }
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    pc.onicecandidate = (e) => {
      if (!e.candidate) done();
    };
  });
}

async function localSdp(pc: RTCPeerConnection, type: Sdp['type']): Promise<Sdp> {
  await pc.setLocalDescription(type === 'offer' ? await pc.createOffer() : await pc.createAnswer());
  await gathered(pc);
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
    return { pc, channel, offer: await localSdp(pc, 'offer') };
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
    return { pc, answer: await localSdp(pc, 'answer') };
  } catch (e) {
    pc.close();
    throw e;
  }
}

export function isSdp(x: unknown, type: Sdp['type']): x is Sdp {
  return typeof x === 'object' && x !== null && (x as Sdp).type === type && typeof (x as Sdp).sdp === 'string';
}
