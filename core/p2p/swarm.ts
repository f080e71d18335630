import { CAPABILITY, DATA_OVERHEAD_BYTES, encode, T } from './codec.js';
import { CONDUCT, Conduct } from './conduct.js';
import { Connector } from './connector.js';
import { Emitter } from './emitter.js';
import { bytesToLatin1, infoHashFromSwarmKey, toHex } from './ids.js';
import { nextTask } from './next-task.js';
import { Peer, type Announcement, type PeerHost } from './peer.js';
import type { TrackerSocket } from './tracker-client.js';
import type {
  P2PPlatform,
  PeerDownload,
  PeerInfo,
  PeerOffence,
  SegmentId,
  Swarm,
  SwarmEventMap,
  SwarmOptions,
  UploadSource,
} from './types.js';
import { UploadLimiter } from './upload-limiter.js';
import { WIRE_BUDGET } from './wire-budget.js';
import { utf8 } from './wire.js';

/** Capability bits announced in the handshake. */
const CAPABILITIES = CAPABILITY.BUSY;
/**
 * After joining, peers are expected within this long (tracker round trips, offers, answers, handshakes: 0.4–0.9 s
 * on loopback with ten players on two cores) unless the tracker counts nobody else; a newcomer's requests with time
 * in hand may wait for them meanwhile. Bounded, so an unreachable tracker costs at most this much of the buffer.
 */
export const JOIN_WINDOW_MS = 3000;
/** How often stale `loading` claims are looked for (a claim lives LOADING_CLAIM_MAX_MS, see claims.ts). */
export const CLAIM_SWEEP_MS = 1000;

export interface SwarmContext {
  readonly peerId: string;
  readonly platform: P2PPlatform;
  readonly protocolVersion: number;
  tracker(url: string): TrackerSocket;
  onDestroy(swarm: Swarm): void;
}

function validate(o: SwarmOptions): void {
  const positive = (v: number, name: string, min: number): void => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`swarm option ${name} must be an integer ≥ ${min}, got ${v}`);
  };
  positive(o.maxPeers, 'maxPeers', 1);
  positive(o.offersPerAnnounce, 'offersPerAnnounce', 0);
  positive(o.maxMessageBytes, 'maxMessageBytes', DATA_OVERHEAD_BYTES + 1024);
  positive(o.maxUploads, 'maxUploads', 0);
  if (!(o.uploadRateBytesPerSec >= 0)) throw new RangeError('swarm option uploadRateBytesPerSec must be ≥ 0');
}

/** Of two connections between the same pair, both sides keep the one initiated by the lower peer id, so they agree. */
function keptInitiator(a: string, b: string): string {
  return a < b ? a : b;
}

export class SwarmImpl implements Swarm, PeerHost {
  readonly options: Readonly<SwarmOptions>;
  readonly peerId: string;
  readonly version: number;
  readonly capabilities = CAPABILITIES;
  readonly maxMessageBytes: number;
  readonly limiter: UploadLimiter;
  readonly now: () => number;
  /** Empty until SHA-1 of the swarm key is computed (asynchronously, right after creation). */
  infoHash: Uint8Array = new Uint8Array(0);
  infoHashHex = '';
  private readonly events = new Emitter<SwarmEventMap>();
  private readonly connected = new Map<string, Peer>();
  private readonly pending = new Set<Peer>();
  private readonly banned = new Set<string>();
  private readonly have = new Set<SegmentId>();
  private readonly loading = new Set<SegmentId>();
  /** Announcement changes not yet sent, coalesced per microtask: id → last state. */
  private readonly delta = new Map<SegmentId, 'have' | 'loading' | 'removed'>();
  private connector: Connector | undefined;
  private source: UploadSource | undefined;
  private uploading: boolean;
  private destroyed = false;
  private readonly joinedAtMs: number;
  private readonly conduct: Conduct;
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(
    options: SwarmOptions,
    private readonly ctx: SwarmContext,
  ) {
    validate(options);
    this.options = Object.freeze({ ...options, trackerUrls: [...options.trackerUrls] });
    this.peerId = ctx.peerId;
    this.version = ctx.protocolVersion;
    this.maxMessageBytes = options.maxMessageBytes;
    this.now = ctx.platform.now;
    this.joinedAtMs = this.now();
    this.uploading = options.uploadEnabled;
    this.limiter = new UploadLimiter(options.uploadRateBytesPerSec, this.now);
    this.conduct = new Conduct(this.now);
    this.sweep = setInterval(() => this.expireClaims(), CLAIM_SWEEP_MS);
    infoHashFromSwarmKey(options.swarmKey).then(
      (hash) => {
        if (this.destroyed) return;
        this.infoHash = hash;
        this.infoHashHex = toHex(hash);
        const trackers = [...new Set(this.options.trackerUrls)].map((url) => ctx.tracker(url));
        this.connector = new Connector(bytesToLatin1(hash), this.connectorHost(), trackers);
      },
      (e: unknown) => this.events.emit('tracker-error', '', `cannot hash swarm key: ${String(e)}`),
    );
  }

  private connectorHost(): ConstructorParameters<typeof Connector>[1] {
    return {
      peerId: this.peerId,
      rtcConfig: this.options.rtcConfig,
      RTCPeerConnection: this.ctx.platform.RTCPeerConnection,
      random: this.ctx.platform.random,
      wantedOffers: () =>
        Math.min(
          this.options.offersPerAnnounce,
          this.options.maxPeers - this.connected.size - this.pending.size - (this.connector?.pendingOffers ?? 0),
        ),
      nextTask,
      peerCount: () => this.connected.size + this.pending.size,
      accepts: (id) =>
        !this.destroyed &&
        id !== this.peerId &&
        !this.banned.has(id) &&
        !this.connected.has(id) &&
        this.connected.size + this.pending.size < this.options.maxPeers,
      settleCrossedOffers: (id) => {
        for (const theirs of this.pending) {
          if (theirs.id !== id || theirs.initiatorId !== id) continue;
          if (keptInitiator(this.peerId, id) !== this.peerId) return false;
          theirs.close('crossed offers: ours kept');
          return true;
        }
        return true;
      },
      connect: (id, initiatorId, pc) => {
        const peer = new Peer(id, initiatorId, this, pc);
        this.pending.add(peer);
        return peer;
      },
      onTrackerProblem: (url, kind, message) => this.events.emit(`tracker-${kind}`, url, message),
    };
  }

  // --- PeerHost ---

  uploadEnabled(): boolean {
    return this.uploading;
  }
  uploadSource(): UploadSource | undefined {
    return this.source;
  }
  uploadSlotFree(requester: Peer): boolean {
    // A peer already being served may queue more: its requests share its own transfer, not another viewer's.
    if (this.options.maxUploads === 0 || requester.activeUploads > 0) return true;
    let served = 0;
    for (const p of this.connected.values()) if (p.activeUploads > 0) served++;
    return served < this.options.maxUploads;
  }
  fullAnnouncement(): Announcement {
    return { t: T.ANNOUNCE_FULL, have: [...this.have], loading: [...this.loading] };
  }

  onReady(peer: Peer): void {
    this.pending.delete(peer);
    const existing = this.connected.get(peer.id);
    if (this.banned.has(peer.id) || (!existing && this.connected.size >= this.options.maxPeers)) {
      peer.close('not accepted', 'peer-closed', true);
      return;
    }
    if (existing) {
      // Offers that crossed and both completed: both sides keep the same one.
      const keeper = keptInitiator(this.peerId, peer.id);
      if (existing.initiatorId === keeper || peer.initiatorId !== keeper) {
        // BYE so the other side, if it had already adopted this connection, learns why it went away.
        peer.close('duplicate connection', 'peer-closed', true);
        return;
      }
      existing.close('replaced by duplicate connection', 'peer-closed', true);
    }
    this.connected.set(peer.id, peer);
    peer.distrustUntilMs = this.conduct.distrustedUntil(peer.id);
    this.events.emit('peer-connect', peer);
  }
  onUpdate(peer: Peer): void {
    if (this.connected.get(peer.id) === peer) this.events.emit('peer-update', peer);
  }
  onClose(peer: Peer, reason: string): void {
    this.pending.delete(peer);
    if (this.connected.get(peer.id) !== peer) return;
    this.connected.delete(peer.id);
    this.events.emit('peer-close', peer.id, reason);
  }
  onRefused(peer: Peer, reason: string): void {
    // The tracker would keep pairing us with it; one refusal is enough.
    this.banned.add(peer.id);
    this.events.emit('peer-refused', peer.id, reason);
  }
  onBytes(peer: Peer, direction: 'down' | 'up', bytes: number): void {
    this.events.emit(direction === 'down' ? 'bytes-downloaded' : 'bytes-uploaded', peer.id, bytes);
  }
  onAbuse(peer: Peer, reason: string): void {
    this.banPeer(peer.id, reason);
  }
  onOffence(peer: Peer, offence: PeerOffence): void {
    if (this.connected.get(peer.id) === peer) this.penalize(peer.id, offence);
  }

  /** Loading claims past their age: each peer that had one is penalized once per sweep, unless already serving one. */
  private expireClaims(): void {
    for (const p of [...this.connected.values()]) {
      const wasTrusted = this.conduct.distrustedUntil(p.id) === 0;
      if (p.expireLoadingClaims() > 0 && wasTrusted) this.penalize(p.id, 'loading-expired');
    }
    this.conduct.prune();
  }

  // --- Swarm ---

  peers(): readonly PeerInfo[] {
    return [...this.connected.values()];
  }
  whoHas(segmentId: SegmentId): readonly PeerInfo[] {
    return this.peers()
      .filter((p) => p.has(segmentId))
      .sort((a, b) => (b.throughputBytesPerSec ?? 0) - (a.throughputBytesPerSec ?? 0));
  }
  connectingPeers(): number {
    const joining = this.now() - this.joinedAtMs < JOIN_WINDOW_MS && this.connector?.alone !== true;
    return this.pending.size + (joining ? 1 : 0);
  }
  swarmSize(): number {
    return Math.max(this.connected.size, this.connector?.othersCounted ?? 0) + 1;
  }
  whoIsLoading(segmentId: SegmentId): readonly PeerInfo[] {
    return this.peers().filter((p) => p.isLoading(segmentId));
  }

  announceHave(segmentId: SegmentId): void {
    this.loading.delete(segmentId);
    this.change(this.have, segmentId, 'have');
  }
  announceLoading(segmentId: SegmentId): void {
    this.have.delete(segmentId);
    this.change(this.loading, segmentId, 'loading');
  }
  /** No longer fetching `segmentId` (a stopped download); says nothing of a copy we hold. */
  withdrawLoading(segmentId: SegmentId): void {
    if (this.loading.delete(segmentId)) this.queueDelta(segmentId, 'removed');
  }
  announceRemoved(segmentId: SegmentId): void {
    const known = this.have.delete(segmentId) || this.loading.delete(segmentId);
    if (known) this.queueDelta(segmentId, 'removed');
  }

  private change(set: Set<SegmentId>, id: SegmentId, state: 'have' | 'loading'): void {
    // Ids longer than the wire allows cannot be announced; the engine contract caps them at 255 bytes.
    if (set.has(id) || utf8(id).length > 255) return;
    set.add(id);
    this.queueDelta(id, state);
    // Peers keep at most WIRE_BUDGET.maxAnnouncedIds of ours and drop a peer that announces more: the oldest go.
    while (this.have.size + this.loading.size > WIRE_BUDGET.maxAnnouncedIds) {
      const oldest = this.have.values().next().value ?? this.loading.values().next().value;
      if (oldest === undefined) break;
      this.announceRemoved(oldest);
    }
  }

  private queueDelta(id: SegmentId, state: 'have' | 'loading' | 'removed'): void {
    if (this.delta.size === 0) queueMicrotask(() => this.flush());
    this.delta.set(id, state);
  }

  private flush(): void {
    const lists = { have: [] as string[], loading: [] as string[], removed: [] as string[] };
    for (const [id, state] of this.delta) lists[state].push(id);
    this.delta.clear();
    if (this.destroyed || !this.uploading) return;
    this.broadcast({ t: T.ANNOUNCE_DELTA, ...lists });
  }

  private broadcast(m: Announcement): void {
    const frame = encode(m);
    for (const p of this.connected.values()) p.announce(m, frame);
  }

  download(peerId: string, segmentId: SegmentId, fromByte: number): PeerDownload {
    const peer = this.connected.get(peerId) ?? new Peer(peerId, '', this);
    const d = peer.download(segmentId, fromByte);
    if (!this.connected.has(peerId)) peer.close('not connected');
    return d;
  }

  penalize(peerId: string, offence: PeerOffence): void {
    if (this.destroyed || this.banned.has(peerId)) return;
    const j = this.conduct.offend(peerId, offence);
    if (j.drop) {
      this.banPeer(
        peerId,
        `${j.strikes} broken claims within ${CONDUCT.strikeMemoryMs / 1000} s (${j.offences.join(', ')})`,
      );
      return;
    }
    const peer = this.connected.get(peerId);
    if (peer) peer.distrustUntilMs = j.untilMs;
    this.events.emit('peer-penalized', peerId, offence, j.untilMs);
    if (peer) this.events.emit('peer-update', peer);
  }

  banPeer(peerId: string, reason: string): void {
    this.banned.add(peerId);
    this.connected.get(peerId)?.close(`banned: ${reason}`, 'peer-closed', true);
    for (const p of this.pending) if (p.id === peerId) p.close('banned');
  }

  setUploadSource(source: UploadSource): void {
    this.source = source;
  }

  setUploadEnabled(enabled: boolean): void {
    if (enabled === this.uploading) return;
    this.uploading = enabled;
    // Off: tell peers we serve nothing so they stop asking; on: give them the full picture again. The empty
    // announcement goes before the ABSENT answers, so no requester takes them for absent-after-have lies.
    this.broadcast(enabled ? this.fullAnnouncement() : { t: T.ANNOUNCE_FULL, have: [], loading: [] });
    if (!enabled) for (const p of this.connected.values()) p.abortUploads();
  }

  setUploadRate(bytesPerSec: number): void {
    this.limiter.setRate(bytesPerSec);
  }

  on<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void {
    this.events.on(event, listener);
  }
  off<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void {
    this.events.off(event, listener);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.sweep);
    this.connector?.destroy();
    for (const p of [...this.connected.values(), ...this.pending]) p.close('swarm destroyed', 'peer-closed', true);
    this.events.removeAll();
    this.ctx.onDestroy(this);
  }
}
