/**
 * The engine's transport port on the simulated network: HTTP requests become CDN flows, peer requests become
 * flows from the holder's uplink, announcements become the viewer's announcement timeline. The engine itself —
 * load lifecycle, scheduler loop, storage, plan() — is the real one.
 */
import { SwarmcastError, type SwarmcastErrorType } from '../../core/errors.js';
import type { Verdict } from '../../core/integrity/verdict.js';
import { SPOT_CHECK_DEFAULTS, windowBytes } from '../../core/integrity/spot-check.js';
import { Conduct } from '../../core/p2p/conduct.js';
import { CLAIM_SWEEP_MS, JOIN_WINDOW_MS } from '../../core/p2p/swarm.js';
import type { PeerOffence } from '../../core/p2p/types.js';
import type {
  HttpTransferRequest,
  SwarmPort,
  Transfer,
  TransferSink,
  Transport,
  TransportContext,
  VerifyRequest,
} from '../../core/transport/types.js';
import type { AnnouncementLog } from './announcements.js';
import { Flow, type Endpoint } from './network.js';
import type { PeerView } from './peer-view.js';
import type { ViewerStats } from './stats.js';
import { ZERO_BYTES } from './storage.js';
import type { World } from './world.js';

/** The viewer a transport belongs to: its links, its side of every peer connection, the simulated tracker. */
export interface SimHost {
  readonly peerId: string;
  readonly world: World;
  readonly stats: ViewerStats;
  readonly endpoint: Endpoint;
  readonly log: AnnouncementLog;
  readonly alive: boolean;
  /** Viewers the tracker counted at our last announce, us included (1 before). */
  readonly swarmSize: number;
  /** Connections being set up (they count against maxPeers). */
  readonly connecting: ReadonlySet<string>;
  peerList(): readonly PeerView[];
  peer(id: string): PeerView | undefined;
  /** Another viewer's transport, by peer id (undefined once it left). */
  remote(peerId: string): SimTransport | undefined;
  /** Closes the connection to `peerId` (both ends; the remote learns it one latency later). */
  dropPeer(peerId: string): void;
  /** The engine joined its swarm: announce to the simulated tracker. */
  joined(): void;
}

/** One transfer on the simulated network: bytes reach the sink when the engine looks (pollProgress) and at the end. */
class SimTransfer implements Transfer {
  flow: Flow | undefined;
  over = false;
  private handed = 0;
  /** Runs once when the transfer ends, whatever the way (a peer request in flight is released). */
  onEnd: (() => void) | undefined;

  constructor(
    private readonly sink: TransferSink,
    private readonly fromByte: number,
    readonly totalBytes: number,
    /** Books bytes that reached the sink (CDN or peer bytes, and the uploader's side). */
    private readonly book: (bytes: number) => void,
    private readonly active: Set<SimTransfer>,
  ) {
    active.add(this);
  }

  /** Hands over what the flow moved since last time. */
  poll(): void {
    if (!this.over && this.flow) this.hand(this.flow.bytes());
  }

  /** Every byte is in. */
  finish(): void {
    if (this.over) return;
    this.hand(this.totalBytes - this.fromByte);
    this.end();
    this.sink.done();
  }

  /** The bytes stop now; the failure is reported `afterMs` later (a peer's departure travels one latency). */
  cut(queue: World['queue'], afterMs: number, type: SwarmcastErrorType): void {
    if (this.over || !this.flow) return;
    this.hand(this.flow.stop());
    this.flow = undefined;
    queue.after(afterMs, () => this.fail(type));
  }

  fail(type: SwarmcastErrorType): void {
    if (this.over) return;
    if (this.flow) this.hand(this.flow.stop());
    this.end();
    this.sink.fail(new SwarmcastError(type, `simulated ${type}`));
  }

  cancel(): void {
    if (this.over) return;
    if (this.flow) this.hand(this.flow.stop());
    this.end();
  }

  private hand(moved: number): void {
    if (moved <= this.handed) return;
    const from = this.fromByte + this.handed;
    const n = moved - this.handed;
    this.handed = moved;
    this.book(n);
    // Consecutive views of one buffer: the engine keeps a segment that arrived this way as one part, uncopied.
    this.sink.data(ZERO_BYTES.subarray(from, from + n), this.totalBytes);
  }

  private end(): void {
    this.over = true;
    this.flow?.stop();
    this.flow = undefined;
    this.active.delete(this);
    this.onEnd?.();
  }
}

export class SimTransport implements Transport {
  /** Transfers this viewer is serving: each entry cuts its transfer (the viewer left). */
  readonly serving = new Set<() => void>();
  private readonly active = new Set<SimTransfer>();
  private readonly cdnFetched = new Set<string>();
  private joinedKey: string | undefined;
  private joined = new Map<string, SwarmPort>();
  private joinedAtMs = 0;
  private readonly port: SwarmPort;
  /** The real swarm's record of broken claims (core/p2p/conduct.ts): penalties, then a drop on the third strike. */
  private readonly conduct: Conduct;
  private lastExpirySweep = -1;

  constructor(
    private readonly ctx: TransportContext,
    readonly host: SimHost,
  ) {
    this.port = this.swarmPort();
    this.conduct = new Conduct(() => host.world.queue.nowMs);
  }

  /** core/p2p/swarm.ts penalize(): claims ignored a while, the third strike within the memory drops the peer. */
  penalize(peerId: string, offence: PeerOffence): void {
    const peer = this.host.peer(peerId);
    if (!peer) return;
    const j = this.conduct.offend(peerId, offence);
    this.host.world.collector.count(`penalized ${offence}`);
    if (j.drop) {
      this.host.world.collector.count('peer dropped (strikes)');
      this.host.dropPeer(peerId);
      return;
    }
    peer.distrustUntilMs = j.untilMs;
  }

  /** A trusted peer's claim outlived its age: one strike per peer per sweep, as the real swarm's claim sweep. */
  private expiredClaim(peer: PeerView): void {
    const sweep = Math.floor(this.host.world.queue.nowMs / CLAIM_SWEEP_MS);
    if (sweep === this.lastExpirySweep) return;
    this.lastExpirySweep = sweep;
    this.penalize(peer.id, 'loading-expired');
  }

  /** Each new connection's view reports its expired claims here. */
  watch(peer: PeerView): void {
    peer.onExpiredClaim = (p) => this.expiredClaim(p);
  }

  /**
   * The origin's word on bytes from a peer, as the spot check costs it (no simulated peer forges): one Range
   * request of the real check's window (core/integrity/spot-check.ts), a CDN time to first byte plus the window at
   * our link rate.
   */
  verify(request: VerifyRequest, bytes: Uint8Array): Promise<Verdict> {
    const { world, stats, endpoint } = this.host;
    if (this.ctx.settings().integrity === 'off')
      return Promise.resolve({
        ok: true,
        method: 'none',
        reason: undefined,
        blame: false,
        detail: 'off',
        cdnBytes: 0,
        cdnRequests: 0,
      });
    const window = windowBytes(bytes.byteLength, SPOT_CHECK_DEFAULTS);
    stats.checkBytes += window;
    stats.checkRequests++;
    const delayMs = world.cdnTtfbMs() + (window * 1000) / endpoint.downBytesPerSec;
    return new Promise((resolve) => {
      world.queue.after(delayMs, () =>
        resolve({
          ok: true,
          method: 'spot-check',
          reason: undefined,
          blame: false,
          detail: `simulated spot check of ${request.url}`,
          cdnBytes: window,
          cdnRequests: 1,
        }),
      );
    });
  }

  get alive(): boolean {
    return this.host.alive;
  }
  get endpoint(): Endpoint {
    return this.host.endpoint;
  }
  get stats(): ViewerStats {
    return this.host.stats;
  }

  /** Only complete stored segments are served (the engine's upload source is its store). */
  serves(segmentId: string): boolean {
    return this.joinedKey !== undefined && this.ctx.store.has(this.joinedKey, segmentId);
  }

  connectedTo(peerId: string): boolean {
    return this.host.peer(peerId) !== undefined;
  }

  /** A neighbour's "have" reached us: the engine's 'peer-update'. */
  heard(): void {
    if (this.joinedKey !== undefined && this.host.alive) this.ctx.events.peerUpdate(this.joinedKey);
  }

  peerConnected(peerId: string): void {
    if (this.joinedKey !== undefined) this.ctx.events.peerConnect(this.joinedKey, peerId);
  }

  http(request: HttpTransferRequest, sink: TransferSink): Transfer {
    const { world, stats, endpoint } = this.host;
    const seg = world.stream.byId(request.url);
    stats.httpRequests++;
    if (!this.cdnFetched.has(seg.id)) {
      this.cdnFetched.add(seg.id);
      world.collector.cdnFetch(seg.id);
    }
    const t = new SimTransfer(sink, request.fromByte, seg.sizeBytes, (n) => (stats.cdnBytes += n), this.active);
    world.queue.after(world.cdnTtfbMs(), () => {
      if (t.over || !this.host.alive) return;
      t.flow = new Flow(world.queue, undefined, endpoint, seg.sizeBytes - request.fromByte, () => t.finish());
    });
    return t;
  }

  join(swarmKey: string): SwarmPort | undefined {
    if (!this.ctx.settings().p2pEnabled) return undefined;
    if (this.joinedKey === undefined) {
      this.joinedKey = swarmKey;
      this.joined = new Map([[swarmKey, this.port]]);
      this.joinedAtMs = this.host.world.queue.nowMs;
      this.host.joined();
    }
    return this.joinedKey === swarmKey ? this.port : undefined;
  }

  swarm(swarmKey: string): SwarmPort | undefined {
    return swarmKey === this.joinedKey ? this.port : undefined;
  }

  leave(swarmKey: string): void {
    if (swarmKey !== this.joinedKey) return;
    this.joinedKey = undefined;
    this.joined = new Map();
  }

  swarms(): ReadonlyMap<string, SwarmPort> {
    return this.joined;
  }

  p2pAvailable(): boolean {
    return true;
  }

  pollProgress(): void {
    for (const t of this.active) t.poll();
  }

  applySettings(): void {
    /* the simulated settings do not change during a run */
  }

  destroy(): void {
    for (const t of [...this.active]) t.cancel();
  }

  private swarmPort(): SwarmPort {
    const { host } = this;
    const log = host.log;
    const now = (): number => host.world.queue.nowMs;
    return {
      peerId: host.peerId,
      peers: () => host.peerList(),
      // As core/p2p's Swarm: one expected peer during the join window, unless the tracker counted nobody else.
      connectingPeers: () =>
        host.connecting.size + (now() - this.joinedAtMs < JOIN_WINDOW_MS && host.swarmSize > 1 ? 1 : 0),
      swarmSize: () => Math.max(host.swarmSize, host.peerList().length + 1),
      announceHave: (id) => {
        log.set(id, 'have', now());
        // Each neighbour hears of it one latency later.
        for (const p of host.peerList()) {
          const remote = host.remote(p.id);
          if (remote) host.world.queue.after(p.latencyMs, () => remote.heard());
        }
      },
      announceLoading: (id) => log.set(id, 'loading', now()),
      announceRemoved: (id) => log.set(id, 'none', now()),
      withdrawLoading: (id) => {
        if (log.current(id) === 'loading') log.set(id, 'none', now());
      },
      download: (peerId, segmentId, fromByte, sink) => this.download(peerId, segmentId, fromByte, sink),
      banPeer: (peerId) => host.dropPeer(peerId),
      penalize: (peerId, offence) => this.penalize(peerId, offence),
    };
  }

  private download(peerId: string, segmentId: string, fromByte: number, sink: TransferSink): Transfer {
    const { world, stats, endpoint } = this.host;
    const { queue } = world;
    const seg = world.stream.byId(segmentId);
    const peer = this.host.peer(peerId);
    let uploaderStats: ViewerStats | undefined;
    const t = new SimTransfer(
      sink,
      fromByte,
      seg.sizeBytes,
      (n) => {
        stats.p2pBytes += n;
        if (uploaderStats) uploaderStats.uploadedBytes += n;
      },
      this.active,
    );
    if (!peer) {
      queueMicrotask(() => t.fail('peer-closed'));
      return t;
    }
    peer.requestStarted();
    t.onEnd = () => peer.requestEnded();
    const claimedHave = peer.has(segmentId);
    // REQUEST travels to the peer, the first DATA comes back: the transfer occupies both links from then on.
    queue.after(2 * peer.latencyMs, () => {
      if (t.over || !this.host.alive) return;
      const up = this.host.remote(peerId);
      if (!up?.alive || !up.connectedTo(this.host.peerId)) {
        t.fail('peer-closed');
        return;
      }
      if (!up.serves(segmentId)) {
        // The real peer reports ABSENT after a `have` it announced as a broken claim (core/p2p/peer.ts).
        if (claimedHave) this.penalize(peerId, 'absent-after-have');
        t.fail('peer-absent');
        return;
      }
      // swarm.ts uploadSlotFree(): a holder uploading to p2pMaxUploads other viewers answers BUSY; one it already
      // serves may queue more.
      const slots = this.ctx.settings().p2pMaxUploads;
      const served = new Set([...up.endpoint.ups].map((f) => f.to));
      if (slots > 0 && !served.has(endpoint) && served.size >= slots) {
        world.collector.count('busy');
        t.fail('peer-busy');
        return;
      }
      uploaderStats = up.stats;
      let sampled = 0;
      const flow: Flow = new Flow(
        queue,
        up.endpoint,
        endpoint,
        seg.sizeBytes - fromByte,
        () => {
          peer.meter.sample(flow.totalBytes - sampled, true);
          up.serving.delete(cut);
          t.finish();
        },
        (bytes) => {
          if (bytes > sampled) {
            peer.meter.sample(bytes - sampled);
            sampled = bytes;
          }
        },
      );
      // The uploader left: bytes stop now, the failure is known one latency later.
      const cut = (): void => t.cut(queue, peer.latencyMs, 'peer-closed');
      t.flow = flow;
      world.collector.uploadsAtStart.push(up.endpoint.ups.size);
      up.serving.add(cut);
      const end = t.onEnd;
      t.onEnd = () => {
        up.serving.delete(cut);
        end?.();
      };
    });
    return t;
  }
}
