/** Proves the rig runs real WebRTC: two RTCPeerConnections in one page move 1 MiB over a data channel. */
import { expect } from 'chai';

interface Pair {
  a: RTCPeerConnection;
  b: RTCPeerConnection;
  channel: RTCDataChannel;
  /** b's end of the channel. */
  remote: Promise<RTCDataChannel>;
}

async function connectPair(): Promise<Pair> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  // Listened for before negotiating: Firefox fires `datachannel` on b before `open` on a, Chromium after.
  const remote = new Promise<RTCDataChannel>((resolve) => {
    b.ondatachannel = (event) => {
      resolve(event.channel);
    };
  });
  a.onicecandidate = (e) => {
    if (e.candidate) void b.addIceCandidate(e.candidate);
  };
  b.onicecandidate = (e) => {
    if (e.candidate) void a.addIceCandidate(e.candidate);
  };
  const channel = a.createDataChannel('test', { ordered: true });
  channel.binaryType = 'arraybuffer';
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await new Promise<void>((resolve, reject) => {
    channel.onopen = () => {
      resolve();
    };
    setTimeout(() => {
      reject(new Error('data channel did not open within 10 s'));
    }, 10000);
  });
  return { a, b, channel, remote };
}

describe('test rig: WebRTC in the browser', () => {
  it('moves 1 MiB between two peer connections over a data channel, byte-exact', async () => {
    const { a, b, channel, remote } = await connectPair();
    const total = 1024 * 1024;
    const payload = new Uint8Array(total);
    crypto.getRandomValues(payload.subarray(0, 65536));
    for (let i = 65536; i < total; i++) payload[i] = (payload[i - 65536]! + i) & 0xff;

    const received = new Uint8Array(total);
    let receivedBytes = 0;
    const receiving = await remote;
    const done = new Promise<void>((resolve) => {
      receiving.binaryType = 'arraybuffer';
      receiving.onmessage = (message: MessageEvent<ArrayBuffer>) => {
        received.set(new Uint8Array(message.data), receivedBytes);
        receivedBytes += message.data.byteLength;
        if (receivedBytes === total) resolve();
      };
    });

    const chunkBytes = 16 * 1024;
    channel.bufferedAmountLowThreshold = 256 * 1024;
    for (let offset = 0; offset < total; offset += chunkBytes) {
      if (channel.bufferedAmount > 1024 * 1024) {
        await new Promise<void>((resolve) => {
          channel.onbufferedamountlow = () => {
            resolve();
          };
        });
      }
      channel.send(payload.subarray(offset, offset + chunkBytes));
    }
    await done;

    expect(receivedBytes).to.equal(total);
    expect(received).to.deep.equal(payload);
    a.close();
    b.close();
  });
});
