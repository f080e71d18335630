import {
  announcementFrames,
  CAPABILITY,
  type Announcement,
  DATA_OVERHEAD_BYTES,
  decode,
  encode,
  handshakeVersion,
  T,
  type Message,
} from './codec.js';
import { PeerClaims } from './claims.js';
import { Download, ThroughputMeter } from './download.js';
import type { PeerDownloadErrorType, PeerInfo, PeerOffence, SegmentId, UploadSource } from './types.js';
import type { UploadLimiter } from './upload-limiter.js';
import { WIRE_BUDGET, WireBudget } from './wire-budget.js';
import { ProtocolError } from './wire.js';

/** Stop writing while this much is queued in the channel; resume at the low threshold. */
const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 256 << 10;
const MAX_CONTROL_QUEUE = 1024;
const MAX_INCOMING_REQUESTS = 64;
export const CONNECT_TIMEOUT_MS = 15_000;
export type { Announcement } from './codec.js';

/** What a peer needs from its swarm. */
export interface PeerHost {
  readonly version: number;
  readonly capabilities: number;
  readonly maxMessageBytes: number;
  readonly infoHash: Uint8Array;
  readonly limiter: UploadLimiter;
  readonly now: () => number;
  uploadEnabled(): boolean;
  uploadSource(): UploadSource | undefined;
  /** False while this swarm uploads to as many other peers as it will (`maxUploads`) and not yet to `requester`. */
  uploadSlotFree(requester: Peer): boolean;
  fullAnnouncement(): Announcement;
  onReady(peer: Peer): void;
  onUpdate(peer: Peer): void;
  onClose(peer: Peer, reason: string): void;
  onRefused(peer: Peer, reason: string): void;
  onBytes(peer: Peer, direction: 'down' | 'up', bytes: number): void;
  /** The peer broke a wire budget or the protocol on purpose (flood, amplification, duplicate requests): ban it. */
  onAbuse(peer: Peer, reason: string): void;
  /** The peer lied about what it has (see PeerOffence); the swarm decides the penalty. */
  onOffence(peer: Peer, offence: PeerOffence): void;
}

interface Upload {
  segmentId: SegmentId;
  /** Undefined while the engine's upload source is still looking the segment up. */
  bytes?: Uint8Array;
  offset: number;
}

/** One data channel to one remote peer: handshake, announcements, both directions of segment transfer. */
export class Peer implements PeerInfo {
  ready = false;
  closed = false;
  private channel: RTCDataChannel | undefined;
  private remoteMaxMessageBytes = 0;
  private remoteCapabilities = 0;
  /** While `host.now()` is below this, the peer's have/loading claims are not believed (0: trusted). */
  distrustUntilMs = 0;
  private readonly claims: PeerClaims;
  private readonly budget: WireBudget;
  private readonly downloads = new Map<number, Download>();
  private readonly uploads = new Map<number, Upload>();
  private readonly control: Uint8Array<ArrayBuffer>[] = [];
  private readonly meter: ThroughputMeter;
  private nextRequestId = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: string,
    /** Peer id of the side that sent the offer; decides which of two crossed connections survives. */
    readonly initiatorId: string,
    private readonly host: PeerHost,
    private readonly pc?: RTCPeerConnection,
  ) {
    this.meter = new ThroughputMeter(host.now);
    this.budget = new WireBudget(host.now);
    this.claims = new PeerClaims(host.now);
    this.timer = setTimeout(() => this.close('connection timeout'), CONNECT_TIMEOUT_MS);
    if (pc) {
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'failed' || pc.connectionState === 'closed') this.close('connection lost');
      };
    }
  }

  get throughputBytesPerSec(): number | undefined {
    return this.meter.value;
  }
  get pendingDownloads(): number {
    return this.downloads.size;
  }
  /** Requests from this peer being served (or looked up in the store). */
  get activeUploads(): number {
    return this.uploads.size;
  }
  has(segmentId: SegmentId): boolean {
    return this.claims.has(segmentId) && this.trusted();
  }
  isLoading(segmentId: SegmentId): boolean {
    return this.claims.isLoading(segmentId) && this.trusted();
  }
  private trusted(): boolean {
    return this.distrustUntilMs === 0 || this.host.now() >= this.distrustUntilMs;
  }

  /** Forgets `loading` claims past LOADING_CLAIM_MAX_MS; returns how many there were. */
  expireLoadingClaims(): number {
    const expired = this.claims.expire();
    if (expired > 0) this.host.onUpdate(this);
    return expired;
  }

  attach(channel: RTCDataChannel): void {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.onbufferedamountlow = () => this.pump();
    channel.onclose = () => this.close('channel closed');
    channel.onmessage = (e: MessageEvent) => this.receive(e.data);
    const hello = (): void =>
      this.send({
        t: T.HANDSHAKE,
        version: this.host.version,
        capabilities: this.host.capabilities,
        maxMessageBytes: this.host.maxMessageBytes,
        infoHash: this.host.infoHash,
      });
    if (channel.readyState === 'open') hello();
    else channel.onopen = hello;
  }

  /** Entry point for every incoming message; nothing thrown here may reach the page. */
  receive(data: unknown): void {
    if (this.closed) return;
    try {
      if (!(data instanceof ArrayBuffer)) throw new ProtocolError('non-binary message');
      const frame = new Uint8Array(data);
      if (!this.ready) {
        this.handshake(frame);
        return;
      }
      const m = this.budget.decode(frame, this.host.maxMessageBytes);
      if (typeof m === 'string') {
        this.abuse(m);
        return;
      }
      this.handle(m);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      this.close(`protocol error: ${detail}`, e instanceof ProtocolError ? 'protocol-error' : 'peer-closed');
    }
  }

  /** Deliberate misbehaviour: the swarm bans the peer; closed here too with the reason. */
  private abuse(reason: string): void {
    this.host.onAbuse(this, reason);
    this.close(reason, 'protocol-error', true);
  }

  private handshake(frame: Uint8Array): void {
    const version = handshakeVersion(frame, this.host.maxMessageBytes);
    if (version === undefined) throw new ProtocolError('expected HANDSHAKE');
    if (version !== this.host.version) {
      const reason = `protocol version mismatch: ours ${this.host.version}, theirs ${version}`;
      this.host.onRefused(this, reason);
      this.close(reason);
      return;
    }
    const m = decode(frame, this.host.maxMessageBytes);
    if (m.t !== T.HANDSHAKE) throw new ProtocolError('expected HANDSHAKE');
    if (m.infoHash.some((b, i) => b !== this.host.infoHash[i])) throw new ProtocolError('different swarm');
    if (m.maxMessageBytes < DATA_OVERHEAD_BYTES + 1024) throw new ProtocolError('message limit too small');
    this.remoteMaxMessageBytes = m.maxMessageBytes;
    this.remoteCapabilities = m.capabilities;
    this.ready = true;
    clearTimeout(this.timer);
    if (this.host.uploadEnabled()) this.announce(this.host.fullAnnouncement());
    this.host.onReady(this);
  }

  private handle(m: Message): void {
    switch (m.t) {
      case T.ANNOUNCE_FULL:
        this.claims.replace(m.have, m.loading);
        this.checkClaims();
        break;
      case T.ANNOUNCE_DELTA:
        this.claims.apply(m.have, m.loading, m.removed);
        this.checkClaims();
        break;
      case T.REQUEST:
        this.serve(m.requestId, m.segmentId, m.fromByte);
        break;
      case T.DATA: {
        const d = this.downloads.get(m.requestId);
        if (m.requestId < 1 || m.requestId >= this.nextRequestId) throw new ProtocolError('DATA for no request');
        if (!d) return; // cancelled by us; the peer had not seen the CANCEL yet
        const done = d.push(m.totalBytes, m.offset, m.chunk);
        if (done) this.downloads.delete(m.requestId);
        this.meter.sample(m.chunk.length, done);
        this.host.onBytes(this, 'down', m.chunk.length);
        break;
      }
      case T.ABSENT: {
        const d = this.downloads.get(m.requestId);
        d?.fail('absent', 'peer does not have the segment');
        this.downloads.delete(m.requestId);
        // It announced `have` before our request and withdrew nothing since (a withdrawal would have come first).
        if (d?.claimedHave && this.claims.has(d.segmentId)) this.host.onOffence(this, 'absent-after-have');
        break;
      }
      case T.BUSY:
        this.downloads.get(m.requestId)?.fail('busy', 'peer serves as many uploads as it will');
        this.downloads.delete(m.requestId);
        break;
      case T.CANCEL:
        this.uploads.delete(m.requestId);
        break;
      case T.BYE:
        this.close(`peer left: ${m.reason}`);
        break;
      default:
        throw new ProtocolError('unexpected HANDSHAKE');
    }
  }

  private checkClaims(): void {
    if (this.claims.size > WIRE_BUDGET.maxAnnouncedIds) {
      this.abuse(`announced over ${WIRE_BUDGET.maxAnnouncedIds} segment ids`);
      return;
    }
    this.host.onUpdate(this);
  }

  download(segmentId: SegmentId, fromByte: number): Download {
    const requestId = this.nextRequestId++;
    const d = new Download(this.id, segmentId, fromByte, requestId, () => {
      this.downloads.delete(requestId);
      this.send({ t: T.CANCEL, requestId });
    });
    if (!this.ready || this.closed) {
      d.fail('peer-closed', 'peer is not connected');
      return d;
    }
    if (this.downloads.size === 0) this.meter.activate();
    d.claimedHave = this.claims.has(segmentId);
    this.downloads.set(requestId, d);
    this.send({ t: T.REQUEST, requestId, segmentId, fromByte });
    return d;
  }

  private serve(requestId: number, segmentId: SegmentId, fromByte: number): void {
    for (const u of this.uploads.values()) {
      // Several copies of one segment to one peer: an upload amplifier, never what an honest requester does.
      if (u.segmentId === segmentId) {
        this.abuse(`duplicate request for ${segmentId}`);
        return;
      }
    }
    const source = this.host.uploadSource();
    if (!source || !this.host.uploadEnabled() || this.uploads.size >= MAX_INCOMING_REQUESTS) {
      this.send({ t: T.ABSENT, requestId });
      return;
    }
    // A requester that understands BUSY asks another holder; an older one would treat it as absent and go to HTTP,
    // so it is served anyway (as version 1 peers without the capability always were).
    if ((this.remoteCapabilities & CAPABILITY.BUSY) !== 0 && !this.host.uploadSlotFree(this)) {
      this.send({ t: T.BUSY, requestId });
      return;
    }
    const upload: Upload = { segmentId, offset: fromByte };
    this.uploads.set(requestId, upload);
    const absent = (): void => {
      if (this.uploads.get(requestId) !== upload) return;
      this.uploads.delete(requestId);
      this.send({ t: T.ABSENT, requestId });
    };
    source(segmentId).then((bytes) => {
      if (this.uploads.get(requestId) !== upload || this.closed) return;
      if (!bytes || fromByte > bytes.length || !this.host.uploadEnabled()) {
        absent();
        return;
      }
      upload.bytes = bytes;
      this.pump();
    }, absent);
  }

  /** Largest message both sides accept (and the SCTP transport can carry). */
  private get messageLimit(): number {
    const sctp = this.pc?.sctp?.maxMessageSize;
    return Math.min(this.host.maxMessageBytes, this.remoteMaxMessageBytes, sctp && sctp > 0 ? sctp : Infinity);
  }

  /** Sends an announcement, split when it exceeds the message limit. `frame` is the pre-encoded form. */
  announce(m: Announcement, frame = encode(m)): void {
    for (const f of announcementFrames(m, this.messageLimit, frame)) this.sendFrame(f);
  }

  /** Queues a control message (sent before any pending DATA). */
  send(m: Message): void {
    this.sendFrame(encode(m));
  }

  sendFrame(frame: Uint8Array<ArrayBuffer>): void {
    if (this.closed) return;
    if (this.control.length >= MAX_CONTROL_QUEUE) {
      this.close('send queue overflow');
      return;
    }
    this.control.push(frame);
    this.pump();
  }

  /** Writes while the channel is below the high-water mark: control first, then DATA round-robin under the rate cap. */
  private pump(): void {
    const ch = this.channel;
    if (this.closed || ch?.readyState !== 'open') return;
    try {
      while (ch.bufferedAmount < HIGH_WATER_BYTES) {
        const frame = this.control.shift();
        if (frame) {
          ch.send(frame);
          continue;
        }
        const next = [...this.uploads].find(([, u]) => u.bytes);
        if (!next) return;
        const [requestId, u] = next;
        const bytes = u.bytes ?? new Uint8Array(0);
        const chunkMax = this.messageLimit - DATA_OVERHEAD_BYTES;
        const length = Math.min(chunkMax, bytes.length - u.offset);
        const wait = this.host.limiter.take(length);
        if (wait > 0) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.pump(), wait);
          return;
        }
        const chunk = bytes.subarray(u.offset, u.offset + length);
        ch.send(encode({ t: T.DATA, requestId, totalBytes: bytes.length, offset: u.offset, chunk }));
        u.offset += length;
        // Move to the back so concurrent uploads share the channel.
        this.uploads.delete(requestId);
        if (u.offset < bytes.length) this.uploads.set(requestId, u);
        this.host.onBytes(this, 'up', length);
      }
    } catch (e) {
      this.close(`send failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Stops serving pending requests (upload switched off). */
  abortUploads(): void {
    for (const requestId of [...this.uploads.keys()]) {
      this.uploads.delete(requestId);
      this.send({ t: T.ABSENT, requestId });
    }
  }

  close(reason: string, failType: PeerDownloadErrorType = 'peer-closed', bye = false): void {
    if (this.closed) return;
    if (bye && this.channel?.readyState === 'open') {
      try {
        this.channel.send(encode({ t: T.BYE, reason }));
      } catch {
        // closing anyway
      }
    }
    this.closed = true;
    clearTimeout(this.timer);
    for (const d of this.downloads.values()) d.fail(failType, reason);
    this.downloads.clear();
    this.uploads.clear();
    this.control.length = 0;
    if (this.channel) this.channel.onmessage = this.channel.onclose = this.channel.onbufferedamountlow = null;
    try {
      this.channel?.close();
      this.pc?.close();
    } catch {
      // already closed
    }
    this.host.onClose(this, reason);
  }
}
