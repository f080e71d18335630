/** A scriptable stand-in for RTCDataChannel and a PeerHost, to drive one Peer's message handler directly. */
import { encode, T, type Message } from '../../../../core/p2p/codec.js';
import { Peer, type Announcement, type PeerHost } from '../../../../core/p2p/peer.js';
import { UploadLimiter } from '../../../../core/p2p/upload-limiter.js';
import type { PeerOffence, UploadSource } from '../../../../core/p2p/types.js';

export class FakeChannel {
  readyState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  sent: Uint8Array[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  onopen: (() => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  /** Simulated SCTP buffer: every send adds to bufferedAmount when set. */
  accumulate = false;

  send(data: Uint8Array): void {
    this.sent.push(data.slice());
    if (this.accumulate) this.bufferedAmount += data.length;
  }
  close(): void {
    this.readyState = 'closed';
  }
}

export const INFO_HASH = new Uint8Array(20).fill(9);
export const MAX_MESSAGE_BYTES = 16 * 1024;

export interface Harness {
  peer: Peer;
  channel: FakeChannel;
  closes: string[];
  refusals: string[];
  /** Reasons the peer was reported for abuse (the swarm bans on these). */
  abuses: string[];
  offences: PeerOffence[];
  updates: number;
  uploaded: number;
  /** Feeds a frame (ArrayBuffer copy, as a data channel would deliver it). */
  feed(frame: Uint8Array | Message): void;
  setUpload(enabled: boolean, source?: UploadSource): void;
}

export function harness(
  options: {
    handshake?: boolean;
    rateBytesPerSec?: number;
    full?: Announcement;
    /** Capability bits the remote side's HANDSHAKE carries. */
    remoteCapabilities?: number;
    /** The host's answer to uploadSlotFree(requester) (default: always free). */
    uploadSlotFree?: () => boolean;
    /** The host's clock (default performance.now). */
    now?: () => number;
  } = {},
): Harness {
  let enabled = true;
  let source: UploadSource | undefined;
  const h: Partial<Harness> & {
    closes: string[];
    refusals: string[];
    abuses: string[];
    offences: PeerOffence[];
    updates: number;
    uploaded: number;
  } = {
    closes: [],
    refusals: [],
    abuses: [],
    offences: [],
    updates: 0,
    uploaded: 0,
  };
  const now = options.now ?? (() => performance.now());
  const host: PeerHost = {
    version: 1,
    capabilities: 0,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    infoHash: INFO_HASH,
    limiter: new UploadLimiter(options.rateBytesPerSec ?? 0, now),
    now,
    uploadEnabled: () => enabled,
    uploadSource: () => source,
    uploadSlotFree: options.uploadSlotFree ?? (() => true),
    fullAnnouncement: () => options.full ?? { t: T.ANNOUNCE_FULL, have: ['1'], loading: [] },
    onReady: () => undefined,
    onUpdate: () => h.updates++,
    onClose: (_p, reason) => h.closes.push(reason),
    onRefused: (_p, reason) => h.refusals.push(reason),
    onBytes: (_p, dir, n) => {
      if (dir === 'up') h.uploaded += n;
    },
    onAbuse: (_p, reason) => h.abuses.push(reason),
    onOffence: (_p, offence) => h.offences.push(offence),
  };
  const channel = new FakeChannel();
  const peer = new Peer('-SC0001-remote000000', 'x', host);
  peer.attach(channel as unknown as RTCDataChannel);
  const feed = (frame: Uint8Array | Message): void => {
    const bytes = frame instanceof Uint8Array ? frame : encode(frame);
    channel.onmessage?.({ data: bytes.slice().buffer });
  };
  Object.assign(h, {
    peer,
    channel,
    feed,
    setUpload(e: boolean, s?: UploadSource) {
      enabled = e;
      source = s;
    },
  });
  if (options.handshake !== false) {
    feed({
      t: T.HANDSHAKE,
      version: 1,
      capabilities: options.remoteCapabilities ?? 0,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      infoHash: INFO_HASH,
    });
  }
  return h as Harness;
}

/** Attaches a fake channel to `peer` and completes its handshake for `infoHash`. */
export function harnessChannel(peer: Peer, infoHash: Uint8Array): FakeChannel {
  const channel = new FakeChannel();
  peer.attach(channel as unknown as RTCDataChannel);
  const hello = encode({ t: T.HANDSHAKE, version: 1, capabilities: 0, maxMessageBytes: MAX_MESSAGE_BYTES, infoHash });
  channel.onmessage?.({ data: hello.slice().buffer });
  return channel;
}
