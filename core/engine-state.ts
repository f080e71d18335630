import { type EngineEvents } from './engine-events.js';
import { SwarmcastError } from './errors.js';
import { Emitter } from './events.js';
import type { StreamType } from './ids.js';
import { Load, type LoadHost } from './load.js';
import { createP2PNetwork } from './p2p/index.js';
import type { Swarm } from './p2p/types.js';
import { BUSY_PEER_PAUSE_MS, NEARLY_DONE_BYTES } from './scheduler/plan.js';
import type { EngineSettings } from './settings.js';
import { mergeSettings } from './settings-validate.js';
import { BandwidthEstimator } from './stats.js';
import { StoreKeeper } from './store-keeper.js';
import { SwarmManager, type NetworkFactory } from './swarms.js';
import type { PlaybackState, SegmentDescriptor, StreamDescriptor } from './types.js';

/** Platform pieces; every field defaults to the browser global. Tests inject fakes. */
export interface EnginePlatform {
  RTCPeerConnection: typeof RTCPeerConnection | undefined;
  WebSocket: typeof WebSocket | undefined;
  fetch: typeof fetch;
  /** Monotonic milliseconds. */
  now: () => number;
  random: () => number;
  indexedDB: IDBFactory | undefined;
  /** Builds the P2P network (default `createP2PNetwork` from core/p2p); pass undefined for HTTP only. */
  createNetwork: NetworkFactory | undefined;
}

export interface StreamState extends StreamDescriptor {
  id: string;
  swarmKey: string;
  segments: Map<string, SegmentDescriptor>;
  order: SegmentDescriptor[];
  live: boolean;
  /** When the stream stopped being active (Infinity while active, 0 = never active). */
  inactiveSinceMs: number;
}

/** Engine state and the load lifecycle; scheduling is in engine-core.ts, the public API in engine.ts. */
export abstract class EngineState extends Emitter<EngineEvents> {
  protected settings: EngineSettings;
  protected readonly platform: EnginePlatform;
  protected readonly store: StoreKeeper;
  protected readonly swarms: SwarmManager;
  protected readonly streams = new Map<string, StreamState>();
  protected readonly active = new Map<StreamType, string>();
  protected readonly loads = new Map<string, Load>();
  protected readonly backoff = new Map<string, number>();
  /** Peers that answered BUSY → when they may be asked again (plan() sees them as busy until then). */
  protected readonly busyPeers = new Map<string, number>();
  protected readonly bandwidth = new BandwidthEstimator();
  protected readonly bytes = { http: 0, p2p: 0, cache: 0, up: 0 };
  protected readonly peerBytes = new Map<string, { swarmKey: string; down: number; up: number }>();
  protected readonly host: LoadHost;
  protected playback: PlaybackState | undefined;
  protected contentId = '';
  protected nextStreamId = 1;
  protected timer: ReturnType<typeof setInterval> | undefined;
  protected tickQueued = false;
  /** Wake-up for the earliest `wait` the scheduler asked for (ticks are coarser than the hold-backs). */
  protected wake: { atMs: number; timer: ReturnType<typeof setTimeout> } | undefined;
  protected destroyed = false;
  /** When the player received its first segment (see p2pJoinWhenPlayable). */
  protected firstDeliveredMs: number | undefined;
  /** Swarms may be joined (see p2pJoinWhenPlayable). */
  protected joinAllowed = false;

  constructor(settings?: Partial<EngineSettings>, platform?: Partial<EnginePlatform>) {
    super();
    this.settings = mergeSettings(settings);
    const g = globalThis as Partial<EnginePlatform> & { performance?: { now(): number } };
    this.platform = {
      RTCPeerConnection: g.RTCPeerConnection,
      WebSocket: g.WebSocket,
      fetch: (...args) => fetch(...args),
      now: () => (g.performance ? g.performance.now() : Date.now()),
      random: Math.random,
      indexedDB: g.indexedDB,
      createNetwork: (p) => createP2PNetwork(p),
      ...platform,
    };
    const warn = (message: string): void => this.emit('warning', { message });
    this.store = new StoreKeeper(this.settings, this.platform.now, warn, (swarmKey, segmentId) =>
      this.swarms.get(swarmKey)?.announceRemoved(segmentId),
    );
    this.swarms = new SwarmManager(this.platform.createNetwork, this.platform, {
      uploadSource: (key) => (segmentId) => this.store.read(key, segmentId),
      attached: (key, swarm) => this.attachSwarm(key, swarm),
      error: warn,
    });
    this.store.restored = (metas) => {
      for (const m of metas) this.swarms.get(m.swarmKey)?.announceHave(m.segmentId);
    };
    const settingsOf = (): EngineSettings => this.settings;
    this.host = {
      get settings() {
        return settingsOf();
      },
      fetch: this.platform.fetch,
      now: this.platform.now,
      onBytes: (load, source, n, peerId) => this.onBytes(load, source, n, peerId),
      onComplete: (load) => void this.onComplete(load),
      onFail: (load, e, peerId) => this.onFail(load, e, peerId),
      onPeerBusy: (load, peerId) => this.onPeerBusy(load, peerId),
    };
    this.timer = setInterval(() => this.tick(), this.settings.schedulerIntervalMs);
  }

  /** A method, not the field: TypeScript would keep a check made before an `await` narrowed after it. */
  protected isDestroyed(): boolean {
    return this.destroyed;
  }

  protected override onListenerError(event: string, error: unknown): void {
    if (event === 'listener-error' || this.listenerCount('listener-error') === 0) super.onListenerError(event, error);
    else this.emit('listener-error', { event, error });
  }

  protected queueTick(): void {
    if (this.tickQueued || this.destroyed) return;
    this.tickQueued = true;
    queueMicrotask(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  /** One scheduler pass (engine-core.ts). */
  abstract tick(): void;

  // ---- loads ----

  protected getLoad(st: StreamState, seg: SegmentDescriptor): Load {
    const key = this.store.key(st.swarmKey, seg.id);
    let load = this.loads.get(key);
    if (!load) this.loads.set(key, (load = new Load(this.host, st.id, key, seg)));
    return load;
  }

  /**
   * An HTTP download the player gave up on but that will be done within about a second: finishing it costs
   * the CDN nothing more (the server has mostly sent it already), the bytes are counted, and the segment is
   * stored and shared instead of wasted.
   */
  protected nearlyDone(load: Load): boolean {
    if (load.source !== 'http') return false;
    // Before the response headers the size is unknown, yet a small segment's body is often on the wire already:
    // judge it by its expected size (byte range, else the rendition's bandwidth × duration).
    const st = this.streams.get(load.streamId);
    const seg = load.segment;
    const expected =
      load.totalBytes ??
      (seg.byteRange ? seg.byteRange.end - seg.byteRange.start : undefined) ??
      (st?.rendition.bandwidth ? (st.rendition.bandwidth / 8) * seg.durationSec : undefined);
    if (expected === undefined) return false;
    const remaining = expected - load.received;
    const elapsedMs = this.platform.now() - load.startedMs;
    const rate = Math.max(this.bandwidth.estimate() ?? 0, elapsedMs > 0 ? (load.sourceBytes * 1000) / elapsedMs : 0);
    return remaining <= NEARLY_DONE_BYTES || (rate > 0 && remaining / rate <= 1);
  }

  /**
   * Stops a load nobody waits for. Bytes it got stay with the idle load, so a later request or prefetch resumes
   * from there (HTTP Range or another peer) instead of fetching them again; without bytes it is forgotten.
   */
  protected park(load: Load): void {
    if (load.received === 0) {
      this.dropLoad(load);
      return;
    }
    load.stop();
    this.withdrawLoading(load);
  }

  /** Stops and forgets a load; pending player requests are rejected with `error` (default: aborted). */
  protected dropLoad(load: Load, error?: SwarmcastError): void {
    load.stop();
    this.loads.delete(load.key);
    this.withdrawLoading(load);
    for (const w of load.waiters) w.reject(error ?? new SwarmcastError('aborted', 'aborted'));
    load.waiters.clear();
  }

  protected onBytes(load: Load, source: 'http' | 'p2p', n: number, peerId?: string): void {
    this.bytes[source] += n;
    if (peerId) {
      const st = this.streams.get(load.streamId);
      const b = this.peerBytes.get(peerId) ?? { swarmKey: st?.swarmKey ?? '', down: 0, up: 0 };
      b.down += n;
      this.peerBytes.set(peerId, b);
    }
    this.emit('bytes-downloaded', { source, bytes: n, ...(peerId ? { peerId } : {}) });
  }

  protected async onComplete(load: Load): Promise<void> {
    const seg = load.segment;
    const st = this.streams.get(load.streamId);
    const via = load.finishedVia ?? { source: 'http' as const, peerId: undefined };
    if (via.source === 'http') this.bandwidth.add(load.sourceBytes, this.platform.now() - load.startedMs);
    const data = load.data();
    const expected = seg.byteRange ? seg.byteRange.end - seg.byteRange.start : load.totalBytes;
    let problem = expected !== undefined && data.byteLength !== expected ? 'size mismatch' : undefined;
    if (!problem && this.settings.validateSegment) {
      try {
        if (!(await this.settings.validateSegment(seg, data, load.peers.size > 0 ? 'p2p' : 'http', via.peerId)))
          problem = 'validation failed';
      } catch {
        problem = 'validation failed';
      }
    }
    if (this.loads.get(load.key) !== load) return; // dropped meanwhile
    if (problem && load.peers.size > 0 && st) {
      // Bad peer bytes: ban every contributing peer and refetch the whole segment over HTTP.
      for (const peerId of load.peers) {
        this.swarms.get(st.swarmKey)?.banPeer(peerId, problem);
        this.emit('peer-banned', { swarmKey: st.swarmKey, peerId, reason: problem });
      }
      load.reset();
      load.totalBytes = undefined;
      if (load.waiters.size > 0) load.startHttp('request');
      else this.loads.delete(load.key);
      this.queueTick();
      return;
    }
    if (problem || !st) {
      this.failLoad(load, new SwarmcastError('validation-failed', `${problem ?? 'no stream'}: ${seg.url}`));
      return;
    }
    this.loads.delete(load.key);
    const now = this.platform.now();
    this.store.put(st.swarmKey, seg, data);
    this.swarms.get(st.swarmKey)?.announceHave(seg.id);
    if (load.waiters.size > 0) this.firstDeliveredMs ??= now;
    for (const w of load.waiters) {
      // An HTTP delivery is timed from its transfer's start: time spent waiting for the swarm first is not the
      // network's, and players that sample bandwidth from this timing must not see it as a slow link.
      const requestStartMs = via.source === 'http' ? Math.max(w.requestStartMs, load.startedMs) : w.requestStartMs;
      const timing = {
        requestStartMs,
        firstByteMs: Math.max(requestStartMs, load.firstByteMs ?? now),
        endMs: now,
      };
      w.resolve({
        data: data.slice().buffer,
        source: via.source,
        ...(via.peerId ? { peerId: via.peerId } : {}),
        timing,
        bytes: data.byteLength,
      });
    }
    const peer = via.peerId ? { peerId: via.peerId } : {};
    this.emit('segment-loaded', {
      streamId: st.id,
      segmentId: seg.id,
      source: via.source,
      ...peer,
      bytes: data.byteLength,
      durationMs: now - load.startedMs,
    });
    this.queueTick();
  }

  /** Peers learn we no longer fetch it (an HTTP or peer download, both announced "loading"). */
  private withdrawLoading(load: Load): void {
    const st = this.streams.get(load.streamId);
    if (st) this.swarms.get(st.swarmKey)?.withdrawLoading(load.segment.id);
  }

  /**
   * The peer serves as many uploads as it will. It is left alone for a moment and the segment is re-planned:
   * another holder, a wait while time is in hand, or HTTP; a download nobody waits for is simply dropped.
   */
  protected onPeerBusy(load: Load, peerId: string): void {
    this.busyPeers.set(peerId, this.platform.now() + BUSY_PEER_PAUSE_MS);
    if (load.waiters.size === 0) this.park(load);
    this.queueTick();
  }

  protected onFail(load: Load, error: SwarmcastError, peerId?: string): void {
    if (peerId && (load.waiters.size > 0 || load.reason === 'urgent')) {
      load.startHttp(load.waiters.size > 0 ? 'request' : 'urgent');
      const st = this.streams.get(load.streamId);
      if (st) this.swarms.get(st.swarmKey)?.announceLoading(load.segment.id);
      return;
    }
    this.failLoad(load, error, true);
  }

  /** `keepBytes`: a failed download nobody waits for is parked with what it got (not for bad bytes). */
  protected failLoad(load: Load, error: SwarmcastError, keepBytes = false): void {
    this.backoff.set(load.key, this.platform.now() + this.settings.failureBackoffMs);
    const waiters = [...load.waiters];
    if (keepBytes && waiters.length === 0) this.park(load);
    else this.dropLoad(load, error);
    if (waiters.length > 0) this.emit('segment-error', { streamId: load.streamId, segmentId: load.segment.id, error });
    this.queueTick();
  }

  protected attachSwarm(swarmKey: string, swarm: Swarm): void {
    const peerBytes = (peerId: string): { swarmKey: string; down: number; up: number } => {
      let b = this.peerBytes.get(peerId);
      if (!b) this.peerBytes.set(peerId, (b = { swarmKey, down: 0, up: 0 }));
      return b;
    };
    swarm.on('peer-connect', (p) => {
      this.emit('peer-connect', { swarmKey, peerId: p.id });
      this.queueTick();
    });
    swarm.on('peer-close', (peerId, reason) => this.emit('peer-close', { swarmKey, peerId, reason }));
    swarm.on('peer-update', () => this.queueTick());
    swarm.on('bytes-uploaded', (peerId, bytes) => {
      this.bytes.up += bytes;
      peerBytes(peerId).up += bytes;
      this.emit('bytes-uploaded', { peerId, bytes });
    });
    swarm.on('tracker-error', (trackerUrl, message) => this.emit('tracker-error', { trackerUrl, message }));
    swarm.on('tracker-warning', (trackerUrl, message) => this.emit('tracker-warning', { trackerUrl, message }));
    for (const id of this.store.idsOf(swarmKey)) swarm.announceHave(id);
  }
}

/** The playhead sits in buffered media: the player can show a frame. */
export function isPlayable(playback: PlaybackState | undefined): boolean {
  return playback !== undefined && playback.bufferedEndSec > playback.positionSec;
}
