import { BUSY_PEER_PAUSE_MS, plan, type PlanAction, type PlanReason } from '../../core/scheduler/plan.js';
import { BandwidthEstimator } from '../../core/stats.js';
import type { PlaybackState } from '../../core/types.js';
import type { AnnouncementLog } from './announcements.js';
import { SimLoad, type SimWaiter } from './load.js';
import { Flow, type Endpoint } from './network.js';
import type { PeerView } from './peer-view.js';
import { buildPlanInput } from './plan-input.js';
import type { DeliverySource, ViewerStats } from './stats.js';
import { SimStore } from './store.js';
import type { SimSegment } from './stream.js';
import type { World } from './world.js';

/** A viewer as seen by other viewers' engines when they download from it. */
export interface Uploader {
  readonly alive: boolean;
  readonly endpoint: Endpoint;
  readonly stats: ViewerStats;
  /** Transfers this viewer is serving: each entry cuts its transfer (the viewer left). */
  readonly serving: Set<() => void>;
  /** Its upload source: only complete stored segments are served. */
  serves(segmentId: string): boolean;
  connectedTo(peerId: string): boolean;
  /** A "have" announcement of ours reached it (its engine may re-plan at once, as on 'peer-update'). */
  heard(segmentId: string): void;
}

export interface EngineHost {
  readonly peerId: string;
  readonly world: World;
  readonly stats: ViewerStats;
  readonly endpoint: Endpoint;
  readonly log: AnnouncementLog;
  readonly alive: boolean;
  peerList(): readonly PeerView[];
  /** Connections being set up (core Swarm.connectingPeers). */
  connectingPeers(): number;
  /** The swarm's size as the tracker counted it at our last announce, us included (1 before). */
  readonly swarmSize: number;
  peer(id: string): PeerView | undefined;
  uploader(peerId: string): Uploader | undefined;
  playback(): PlaybackState | undefined;
  /** The segments handed to plan(): the playlist window (live) or the stretch ahead of the playhead (VOD). */
  planSegments(): readonly SimSegment[];
}

/**
 * core/engine-core.ts's tick / execute / load lifecycle for one viewer and one stream, on simulated transfers.
 * The scheduling decisions are the real `plan()`; what happens after each action mirrors the engine (comments
 * name the engine method each part follows).
 */
export class SimEngine {
  readonly loads = new Map<string, SimLoad>();
  readonly store: SimStore;
  readonly backoff = new Map<string, number>();
  readonly bandwidth = new BandwidthEstimator();
  private readonly cdnFetched = new Set<string>();
  /** engine-state busyPeers: holders that answered BUSY → until when plan() sees them as busy. */
  readonly busyPeers = new Map<string, number>();
  private tickQueued = false;
  private wakeAtMs = Infinity;

  constructor(private readonly host: EngineHost) {
    const { collector, settings } = host.world;
    this.store = new SimStore(host.stats, host.log, collector, settings.storageBudgetBytes);
  }

  private get now(): number {
    return this.host.world.queue.nowMs;
  }

  /** Periodic scheduler timer, started with a random phase so ticks of different viewers interleave. */
  start(): void {
    const { queue, settings, random } = this.host.world;
    const every = settings.schedulerIntervalMs;
    const loop = (): void => {
      if (!this.host.alive) return;
      this.tick();
      queue.after(every, loop);
    };
    queue.after(random() * every, loop);
  }

  /** engine.loadSegment: joins a download in flight, serves stored bytes at once. */
  request(seg: SimSegment, deliver: (source: DeliverySource) => void): void {
    const waiter: SimWaiter = { sinceMs: this.now, deliver };
    if (!this.loads.has(seg.id) && this.store.deliver(seg.id, waiter, 'cache', this.now)) return;
    let load = this.loads.get(seg.id);
    if (!load) this.loads.set(seg.id, (load = new SimLoad(seg)));
    load.waiter = waiter;
    this.queueTick();
  }

  queueTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    this.host.world.queue.after(0, () => {
      this.tickQueued = false;
      this.tick();
    });
  }

  /** engine-core wakeAt: the earliest `wait` the scheduler asked for. */
  private wakeAt(atMs: number): void {
    if (this.wakeAtMs <= atMs) return;
    this.wakeAtMs = atMs;
    this.host.world.queue.at(atMs + 1, () => {
      if (this.wakeAtMs !== atMs) return;
      this.wakeAtMs = Infinity;
      this.tick();
    });
  }

  /** A peer announced it has `segmentId` (engine: swarm 'peer-update' → queueTick), if that can matter to us. */
  peerHas(segmentId: string): void {
    if (!this.host.alive || this.store.has(segmentId) || this.loads.get(segmentId)?.active) return;
    if (this.host.planSegments().some((s) => s.id === segmentId)) this.queueTick();
  }

  tick(): void {
    if (!this.host.alive) return;
    const now = this.now;
    for (const [id, until] of this.backoff) if (until <= now) this.backoff.delete(id);
    const actions = plan(buildPlanInput(this, this.host, now));
    for (const a of actions) this.execute(a);
  }

  private execute(a: PlanAction): void {
    this.host.world.collector.count(`${a.type} ${'reason' in a ? a.reason : 'why' in a ? a.why : ''}`.trim());
    if (a.type === 'wait') {
      this.wakeAt(a.untilMs);
      return;
    }
    const load = this.loads.get(a.id) ?? this.newLoad(a.id);
    if (!load) return;
    switch (a.type) {
      case 'http':
        this.startHttp(load, a.reason);
        this.host.log.set(load.segment.id, 'loading', this.now);
        return;
      case 'p2p':
        if (this.host.world.settings.p2pEnabled) {
          this.startP2P(load, a.peerId, a.reason);
          this.host.log.set(load.segment.id, 'loading', this.now);
        }
        return;
      case 'to-http':
        this.stop(load);
        this.startHttp(load, load.waiter ? 'request' : 'urgent');
        this.host.log.set(load.segment.id, 'loading', this.now);
        return;
      case 'cancel':
        if (a.why === 'stalled')
          this.backoff.set(load.segment.id, this.now + this.host.world.settings.failureBackoffMs);
        if (load.waiter) this.stop(load);
        else this.park(load);
        return;
    }
  }

  private newLoad(id: string): SimLoad | undefined {
    const seg = this.host.planSegments().find((s) => s.id === id);
    if (!seg) return undefined;
    const load = new SimLoad(seg);
    this.loads.set(id, load);
    return load;
  }

  // ---- transfers (core/load.ts) ----

  private startHttp(load: SimLoad, reason: PlanReason): void {
    const { queue } = this.host.world;
    const gen = load.begin('http', reason, this.now);
    const size = load.segment.sizeBytes;
    if (load.totalBytes !== undefined && load.committed >= load.totalBytes) {
      // A peer delivered everything before being cut off: nothing left to ask the server for.
      queue.after(0, () => gen === load.gen && this.finish(load));
      return;
    }
    this.host.stats.httpRequests++;
    if (!this.cdnFetched.has(load.segment.id)) {
      this.cdnFetched.add(load.segment.id);
      this.host.world.collector.cdnFetch(load.segment.id);
    }
    queue.after(this.host.world.cdnTtfbMs(), () => {
      if (gen !== load.gen || !this.host.alive) return;
      load.totalBytes ??= size;
      load.flow = new Flow(queue, undefined, this.host.endpoint, size - load.committed, () => {
        this.commit(load);
        this.finish(load);
      });
    });
  }

  private startP2P(load: SimLoad, peerId: string, reason: PlanReason): void {
    const { queue } = this.host.world;
    const peer = this.host.peer(peerId);
    if (!peer) return;
    const gen = load.begin('p2p', reason, this.now, peerId);
    peer.requestStarted();
    load.asking = peer;
    // REQUEST travels to the peer, the first DATA comes back: the transfer occupies both links from then on.
    queue.after(2 * peer.latencyMs, () => {
      if (gen !== load.gen || !this.host.alive) return;
      const up = this.host.uploader(peerId);
      // Gone ('peer-closed') or not holding it any more ('absent'): the request fails.
      if (!up?.alive || !up.connectedTo(this.host.peerId) || !up.serves(load.segment.id)) {
        load.release();
        this.onFail(load);
        return;
      }
      // swarm.ts uploadSlotFree(): a holder uploading to p2pMaxUploads other viewers answers BUSY (every sim viewer
      // understands it); one it already serves may queue more.
      const slots = this.host.world.settings.p2pMaxUploads;
      const served = new Set([...up.endpoint.ups].map((f) => f.to));
      if (slots > 0 && !served.has(this.host.endpoint) && served.size >= slots) {
        this.onPeerBusy(load, peerId);
        return;
      }
      const size = load.segment.sizeBytes;
      load.totalBytes ??= size;
      let sampled = 0;
      const cut = (): void => {
        // The uploader left: bytes stop now, the failure is known one latency later.
        if (load.flow !== flow) return;
        this.commit(load);
        load.release();
        queue.after(peer.latencyMs, () => gen === load.gen && this.onFail(load));
      };
      const flow: Flow = new Flow(
        queue,
        up.endpoint,
        this.host.endpoint,
        size - load.committed,
        () => {
          peer.meter.sample(flow.totalBytes - sampled, true);
          load.release();
          this.commit(load);
          this.finish(load);
        },
        (bytes) => {
          if (bytes > sampled) {
            peer.meter.sample(bytes - sampled);
            sampled = bytes;
            load.lastDataMs = this.now;
          }
        },
      );
      load.flow = flow;
      load.uploaderStats = up.stats;
      this.host.world.collector.uploadsAtStart.push(up.endpoint.ups.size);
      up.serving.add(cut);
      flow.onEnd = () => up.serving.delete(cut);
    });
  }

  /** Ends the running transfer and books its bytes to both ends. */
  private commit(load: SimLoad): void {
    const flow = load.flow;
    if (!flow) return;
    load.flow = undefined;
    const n = flow.stop();
    flow.onEnd?.();
    load.committed += n;
    load.sourceCommitted += n;
    if (n > 0) load.lastDataMs = this.now;
    if (flow.from === undefined) {
      load.httpBytes += n;
      this.host.stats.cdnBytes += n;
    } else {
      load.p2pBytes += n;
      this.host.stats.p2pBytes += n;
      if (load.uploaderStats) load.uploaderStats.uploadedBytes += n;
    }
  }

  /** Load.stop: keeps the bytes, forgets the source. */
  private stop(load: SimLoad): void {
    load.release();
    this.commit(load);
    load.gen++;
    load.source = undefined;
  }

  /** engine-core park: a stopped load nobody waits for keeps its bytes for a later resume. */
  private park(load: SimLoad): void {
    if (load.received() === 0) {
      this.drop(load);
      return;
    }
    this.stop(load);
    this.withdrawLoading(load);
  }

  /** engine-state withdrawLoading: a stopped HTTP or peer download is no longer announced "loading". */
  private withdrawLoading(load: SimLoad): void {
    if (this.host.log.current(load.segment.id) === 'loading') this.host.log.set(load.segment.id, 'none', this.now);
  }

  /** engine-core dropLoad: its bytes are thrown away. */
  private drop(load: SimLoad): void {
    this.stop(load);
    this.loads.delete(load.segment.id);
    this.withdrawLoading(load);
    this.host.stats.wastedBytes += load.committed;
  }

  /** engine-state onPeerBusy: the holder is left alone for a moment, the segment re-planned. */
  private onPeerBusy(load: SimLoad, peerId: string): void {
    this.host.world.collector.count('busy');
    load.release();
    this.stop(load);
    this.busyPeers.set(peerId, this.now + BUSY_PEER_PAUSE_MS);
    if (!load.waiter) this.park(load);
    this.queueTick();
  }

  /** engine-core onFail: a requested or urgent segment continues over HTTP, anything else backs off. */
  private onFail(load: SimLoad): void {
    if (!this.host.alive) return;
    this.host.world.collector.count(load.waiter || load.reason === 'urgent' ? 'peer failed → http' : 'peer failed');
    if (load.waiter || load.reason === 'urgent') {
      this.stop(load);
      this.startHttp(load, load.waiter ? 'request' : 'urgent');
      this.host.log.set(load.segment.id, 'loading', this.now);
      return;
    }
    this.backoff.set(load.segment.id, this.now + this.host.world.settings.failureBackoffMs);
    this.park(load);
    this.queueTick();
  }

  /** engine-core onComplete: store, announce, resolve the player's request. */
  private finish(load: SimLoad): void {
    const via = load.source ?? 'http';
    if (via === 'http') this.bandwidth.add(load.sourceCommitted, this.now - load.startedMs);
    load.source = undefined;
    load.gen++;
    load.finishedVia = via;
    this.loads.delete(load.segment.id);
    this.store.put(load.segment, load.httpBytes, load.p2pBytes, this.now);
    this.announceHave(load.segment.id);
    if (load.waiter) this.store.deliver(load.segment.id, load.waiter, via, this.now);
    this.queueTick();
  }

  /** Tells connected peers (one latency later each) that something they may want appeared. */
  private announceHave(segmentId: string): void {
    const { queue } = this.host.world;
    for (const p of this.host.peerList()) {
      const remote = this.host.uploader(p.id);
      if (remote) queue.after(p.latencyMs, () => remote.heard(segmentId));
    }
  }

  /** Live playlist update (engine.updateSegments + StoreKeeper.setLiveIds): what left the window is forgotten. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const load of [...this.loads.values()]) if (!ids.has(load.segment.id) && !load.waiter) this.drop(load);
    this.store.keepOnly(ids, this.now);
    for (const id of this.cdnFetched) if (!ids.has(id)) this.cdnFetched.delete(id);
    this.host.log.prune(this.now);
  }

  /** The viewer leaves (or the run ends): every transfer stops; bytes not played are booked to `into`. */
  close(into: 'wastedBytes' | 'heldAtEndBytes'): void {
    for (const load of this.loads.values()) {
      this.stop(load);
      this.host.stats[into] += load.committed;
    }
    this.loads.clear();
    this.store.close(into);
  }
}
