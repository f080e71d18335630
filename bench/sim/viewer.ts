import { Engine, type EnginePlatform } from '../../core/engine.js';
import type { TransportContext } from '../../core/transport/types.js';
import type { TraceEvent } from '../../core/scheduler/loop.js';
import type { SegmentSource } from '../../core/types.js';
import { AnnouncementLog } from './announcements.js';
import type { Endpoint } from './network.js';
import { PeerView, type RemoteEnd } from './peer-view.js';
import { SimPlayer } from './player.js';
import type { ViewerStats } from './stats.js';
import { SimStorage } from './storage.js';
import type { SimSegment } from './stream.js';
import { SimTransport, type SimHost } from './transport.js';
import type { World } from './world.js';

/** "http request", "to-http slow", "wait"…: how the run tallies the scheduler's actions. */
function actionName(e: TraceEvent): string {
  const a = e.action;
  return `${a.type} ${'reason' in a ? a.reason : 'why' in a ? a.why : ''}`.trim();
}

/**
 * One simulated viewer: a real Engine (on the simulated clock, transport and storage), the player driving it, its
 * side of every peer connection, and its byte books: downloaded = delivered + wasted + held at the end.
 */
export class Viewer implements SimHost, RemoteEnd {
  readonly peerId: string;
  alive = true;
  /** Set by the simulated tracker at each announce. */
  swarmSize = 1;
  /** Whether this viewer has announced to the tracker (it then counts in the swarm). */
  announced = false;
  readonly log = new AnnouncementLog();
  readonly peers = new Map<string, PeerView>();
  /** Connections being set up (count against maxPeers, as in the real swarm). */
  readonly connecting = new Set<string>();
  readonly engine: Engine;
  readonly player: SimPlayer;
  private transport: SimTransport | undefined;
  private readonly storage: SimStorage;
  private peerArray: PeerView[] | undefined;
  /** Segments completed (not from cache) and how many of their bytes came from peers, until they leave the store. */
  private readonly completed = new Map<string, { bytes: number; p2pBytes: number }>();
  private readonly delivered = new Set<string>();
  /**
   * Segments that left the store before the player took them, booked as wasted. The engine may evict a segment in
   * the same instant it hands it to the player (the store's delete runs before the player's promise continuation):
   * the player still got it, so its bytes move back from wasted to delivered.
   */
  private readonly leftUndelivered = new Map<string, { bytes: number; p2pBytes: number }>();

  constructor(
    readonly world: World,
    readonly stats: ViewerStats,
    readonly endpoint: Endpoint,
    /** One-way latency of this viewer's access path. */
    readonly accessLatencyMs: number,
    private readonly directory: ReadonlyMap<string, Viewer>,
    onEnded: (v: Viewer) => void,
    /** The engine joined its swarm (the tracker hears of this viewer). */
    private readonly onJoined: (v: Viewer) => void,
  ) {
    this.peerId = `v${stats.id}`;
    this.storage = new SimStorage((meta) => this.leftStore(meta.segmentId, 'wastedBytes'));
    const tap = world.tap?.viewerId === stats.id ? world.tap.tap : undefined;
    const parts = {
      settings: { ...world.settings, storage: this.storage },
      platform: {
        clock: world.clock,
        createTransport: (ctx: TransportContext) => (this.transport = new SimTransport(ctx, this)),
        trace: (e: TraceEvent) => world.collector.count(actionName(e)),
      } satisfies Partial<EnginePlatform>,
    };
    const { settings, platform } = tap ? tap.platform(parts.platform, parts.settings) : parts;
    const engine = new Engine(settings, platform);
    this.engine = tap ? tap.engine(engine) : engine;
    this.engine.on('segment-loaded', (e) => {
      if (e.source !== 'cache') this.completed.set(e.segmentId, { bytes: e.bytes, p2pBytes: e.p2pBytes ?? 0 });
    });
    this.engine.on('peer-error', () => world.collector.count('peer failed'));
    this.engine.setContent({ manifestUrl: 'sim://stream/master.m3u8' });
    const streamId = this.engine.addStream({
      type: 'main',
      rendition: { bandwidth: world.options.bitrateKbps * 1000 },
    });
    this.player = new SimPlayer(world, stats, this.engine, streamId, {
      delivered: (seg, source, loadMs) => this.onDelivered(seg, source, loadMs),
      ended: () => onEnded(this),
    });
  }

  join(): void {
    this.player.join();
  }

  // ---- SimHost (the transport's side) ----
  peerList(): readonly PeerView[] {
    return (this.peerArray ??= [...this.peers.values()]);
  }
  peer(id: string): PeerView | undefined {
    return this.peers.get(id);
  }
  remote(peerId: string): SimTransport | undefined {
    return this.directory.get(peerId)?.transport;
  }
  dropPeer(peerId: string): void {
    const view = this.peers.get(peerId);
    this.removePeer(peerId);
    const other = this.directory.get(peerId);
    if (view && other) this.world.queue.after(view.latencyMs, () => other.removePeer(this.peerId));
  }
  joined(): void {
    this.onJoined(this);
  }

  // ---- connections ----
  get slotsUsed(): number {
    return this.peers.size + this.connecting.size;
  }
  addPeer(remote: Viewer, latencyMs: number): void {
    const view = new PeerView(remote, latencyMs, this.world.queue);
    this.peers.set(remote.peerId, view);
    this.transport?.watch(view);
    this.peerArray = undefined;
    this.transport?.peerConnected(remote.peerId);
  }
  removePeer(peerId: string): void {
    if (!this.peers.delete(peerId)) return;
    this.peerArray = undefined;
  }

  /** Transfers this viewer serves: each entry cuts its transfer. */
  get serving(): ReadonlySet<() => void> {
    return this.transport?.serving ?? new Set();
  }

  /** Closes the books: the player stops, transfers stop, bytes not played are booked to `into`. */
  close(into: 'wastedBytes' | 'heldAtEndBytes'): void {
    this.player.finish();
    for (const cut of [...(this.transport?.serving ?? [])]) cut();
    // What the engine threw away while running was wasted; what it drops now (transfers in flight) goes to `into`.
    const discarded = this.engine.getStats().discardedBytes;
    this.engine.destroy();
    this.stats.wastedBytes += discarded;
    this.stats[into] += this.engine.getStats().discardedBytes - discarded;
    for (const meta of this.storage.metas.values()) this.leftStore(meta.segmentId, into);
    this.storage.metas.clear();
    this.alive = false;
  }

  private onDelivered(seg: SimSegment, source: SegmentSource, loadMs: number): void {
    if (this.delivered.has(seg.id)) return;
    let c = this.completed.get(seg.id);
    const left = c ? undefined : this.leftUndelivered.get(seg.id);
    if (left) {
      this.leftUndelivered.delete(seg.id);
      this.stats.wastedBytes -= left.bytes;
      c = left;
    }
    if (!c) throw new Error(`bench:sim: ${this.peerId} got ${seg.id} from ${source} without completing it`);
    this.delivered.add(seg.id);
    const s = this.stats;
    s.deliveredBytes += c.bytes;
    s.deliveredP2PBytes += c.p2pBytes;
    s.deliveredHttpBytes += c.bytes - c.p2pBytes;
    s.segmentsDelivered++;
    this.world.collector.delivered(seg.id, c.bytes, c.p2pBytes, source, loadMs, this.world.queue.nowMs);
  }

  /** A segment left the store: if the player never got it, its bytes go to `into`. */
  private leftStore(segmentId: string, into: 'wastedBytes' | 'heldAtEndBytes'): void {
    const c = this.completed.get(segmentId);
    if (!c) return;
    this.completed.delete(segmentId);
    if (this.delivered.has(segmentId)) return;
    this.stats[into] += c.bytes;
    if (into !== 'wastedBytes') return;
    this.leftUndelivered.set(segmentId, c);
    // Only a hand-over in the same instant matters; keep the last few (a Map iterates oldest first).
    if (this.leftUndelivered.size > 16) this.leftUndelivered.delete(this.leftUndelivered.keys().next().value!);
  }
}
