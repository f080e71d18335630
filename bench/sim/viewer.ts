import type { PlaybackState } from '../../core/types.js';
import { AnnouncementLog } from './announcements.js';
import { SimEngine, type EngineHost, type Uploader } from './engine.js';
import type { Endpoint } from './network.js';
import { PeerView, type RemoteEnd } from './peer-view.js';
import { SimPlayer } from './player.js';
import type { ViewerStats } from './stats.js';
import type { SimSegment } from './stream.js';
import type { World } from './world.js';

/** One simulated viewer: a player, an engine and its side of every peer connection. */
export class Viewer implements EngineHost, Uploader, RemoteEnd {
  readonly peerId: string;
  alive = true;
  /** EngineHost.swarmSize, set by the simulated tracker at each announce. */
  swarmSize = 1;
  /** Whether this viewer has announced to the tracker (it then counts in the swarm). */
  announced = false;
  readonly log = new AnnouncementLog();
  readonly peers = new Map<string, PeerView>();
  /** Connections being set up (count against maxPeers, as in the real swarm). */
  readonly connecting = new Set<string>();
  readonly serving = new Set<() => void>();
  readonly engine: SimEngine;
  readonly player: SimPlayer;
  private peerArray: PeerView[] | undefined;

  constructor(
    readonly world: World,
    readonly stats: ViewerStats,
    readonly endpoint: Endpoint,
    /** One-way latency of this viewer's access path. */
    readonly accessLatencyMs: number,
    private readonly directory: ReadonlyMap<string, Viewer>,
    onEnded: (v: Viewer) => void,
    /** The player can show its first frame (the engine's p2pJoinWhenPlayable moment). */
    onPlayable: (v: Viewer) => void,
  ) {
    this.peerId = `v${stats.id}`;
    this.engine = new SimEngine(this);
    this.player = new SimPlayer(
      world,
      stats,
      this.engine,
      () => onEnded(this),
      () => onPlayable(this),
    );
  }

  join(): void {
    this.player.join();
    this.engine.start();
  }

  // ---- EngineHost ----
  connectingPeers(): number {
    return this.connecting.size;
  }

  peerList(): readonly PeerView[] {
    return (this.peerArray ??= [...this.peers.values()]);
  }
  peer(id: string): PeerView | undefined {
    return this.peers.get(id);
  }
  uploader(peerId: string): Uploader | undefined {
    return this.directory.get(peerId);
  }
  playback(): PlaybackState | undefined {
    return this.player.playback();
  }
  planSegments(): readonly SimSegment[] {
    return this.player.planSegments();
  }

  // ---- Uploader ----
  serves(segmentId: string): boolean {
    return this.engine.store.has(segmentId);
  }
  connectedTo(peerId: string): boolean {
    return this.peers.has(peerId);
  }
  heard(segmentId: string): void {
    this.engine.peerHas(segmentId);
  }

  // ---- connections ----
  get slotsUsed(): number {
    return this.peers.size + this.connecting.size;
  }
  addPeer(remote: Viewer, latencyMs: number): void {
    this.peers.set(remote.peerId, new PeerView(remote, latencyMs, this.world.queue));
    this.peerArray = undefined;
    this.engine.queueTick(); // engine: 'peer-connect' → queueTick
  }
  removePeer(peerId: string): void {
    if (!this.peers.delete(peerId)) return;
    this.peerArray = undefined;
  }

  /** Closes the books: the player stops, transfers stop, bytes not played are booked to `into`. */
  close(into: 'wastedBytes' | 'heldAtEndBytes'): void {
    this.player.finish();
    for (const cut of [...this.serving]) cut();
    this.engine.close(into);
    this.alive = false;
  }
}
