/**
 * The engine: integrations describe streams and segments, report playback, and ask for segment bytes; the
 * engine decides HTTP or peers, stores and shares segments, and reports what happened. A facade over small parts
 * it owns: the streams, the load lifecycle, the scheduler loop, the store, the meter and a transport.
 */
import { systemClock, type Clock } from './clock.js';
import type { EngineEvents } from './engine-events.js';
import { SwarmcastError } from './errors.js';
import { Emitter } from './events.js';
import type { Delivery } from './loads/load.js';
import { Loads } from './loads/loads.js';
import { Meter } from './meter.js';
import { createP2PNetwork } from './p2p/index.js';
import { SchedulerLoop, type TraceEvent } from './scheduler/loop.js';
import { DYNAMIC_SETTING_KEYS, mergeSettings, type DynamicSettings, type EngineSettings } from './settings.js';
import type { EngineStats } from './stats.js';
import { StoreKeeper } from './store-keeper.js';
import { Streams, type Content } from './streams.js';
import { NetTransport, type NetworkFactory } from './transport/net.js';
import type { Transport, TransportFactory, TransportObserver } from './transport/types.js';
import type {
  LoadOptions,
  LoadResult,
  PlaybackState,
  SegmentDescriptor,
  SegmentListOptions,
  StreamDescriptor,
} from './types.js';

/** Platform pieces; every field defaults to the browser's own. Tests, the simulator and Node inject their own. */
export interface EnginePlatform {
  RTCPeerConnection: typeof RTCPeerConnection | undefined;
  WebSocket: typeof WebSocket | undefined;
  fetch: typeof fetch;
  /** Monotonic milliseconds (ignored when `clock` is given). */
  now: () => number;
  random: () => number;
  /** Builds the P2P network (default `createP2PNetwork` from core/p2p); undefined: HTTP only. */
  createNetwork: NetworkFactory | undefined;
  /** Time and timers (default: `now` and the page's timers). */
  clock: Clock;
  /** Where bytes come from (default: fetch and the P2P network above, which it then replaces). */
  createTransport: TransportFactory;
  /** Diagnostics tap: every action the scheduler carries out. */
  trace: ((event: TraceEvent) => void) | undefined;
}

export class Engine {
  private settings: EngineSettings;
  private readonly events: Emitter<EngineEvents>;
  private readonly clock: Clock;
  private readonly store: StoreKeeper;
  private readonly meter = new Meter();
  private readonly streams = new Streams();
  private readonly transport: Transport;
  private readonly loads: Loads;
  private readonly loop: SchedulerLoop;
  private playback: PlaybackState | undefined;
  private destroyed = false;

  constructor(settings?: Partial<EngineSettings>, platform: Partial<EnginePlatform> = {}) {
    this.settings = mergeSettings(settings);
    this.events = new Emitter<EngineEvents>((event, error) => {
      if (event === 'listener-error' || this.events.listenerCount('listener-error') === 0)
        console.error(`swarmcast: listener for "${event}" threw`, error);
      else this.events.emit('listener-error', { event, error });
    });
    const emit = this.events.emit.bind(this.events);
    const settingsOf = (): Readonly<EngineSettings> => this.settings;
    const clock = (this.clock = platform.clock ?? systemClock(platform.now));
    const warn = (message: string): void => emit('warning', { message });
    this.store = new StoreKeeper(settingsOf, clock, warn, {
      removed: (swarmKey, segmentId) => this.transport.swarm(swarmKey)?.announceRemoved(segmentId),
      restored: (swarmKey, segmentId) => this.transport.swarm(swarmKey)?.announceHave(segmentId),
    });
    const createTransport = platform.createTransport ?? defaultTransport(platform);
    this.transport = createTransport({
      settings: settingsOf,
      clock,
      store: this.store,
      events: this.transportObserver(),
    });
    this.loads = new Loads({
      settings: settingsOf,
      clock,
      transport: this.transport,
      store: this.store,
      meter: this.meter,
      emit,
      replan: () => this.loop.queueTick(),
    });
    this.loop = new SchedulerLoop({
      settings: settingsOf,
      clock,
      transport: this.transport,
      streams: this.streams,
      loads: this.loads,
      store: this.store,
      meter: this.meter,
      playback: () => this.playback,
      trace: platform.trace,
    });
  }

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): void {
    this.events.on(event, listener);
  }

  off<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): void {
    this.events.off(event, listener);
  }

  once<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): void {
    this.events.once(event, listener);
  }

  /**
   * Sets the content: its id is `swarmId` if given (tokenised URLs), else the manifest URL without query;
   * `hashListUrl` is the origin's hash list when not next to the manifest. Call first.
   */
  setContent(content: Content): void {
    this.loads.dropAll(new SwarmcastError('aborted', 'content changed'));
    this.streams.setContent(content);
  }

  /**
   * Registers a rendition / track and returns its stream id; the same rendition (type and attributes) always
   * gets the same id. Its swarm key = versioned(contentId | rendition key).
   */
  addStream(stream: StreamDescriptor): string {
    return this.streams.add(stream);
  }

  /** Swarm key of a stream (diagnostics: which swarm a rendition's viewers meet in). */
  getSwarmKey(streamId: string): string | undefined {
    return this.streams.get(streamId)?.swarmKey;
  }

  /** Adds / replaces segments. Live: segments missing from `segments` are forgotten and evicted. */
  updateSegments(streamId: string, segments: readonly SegmentDescriptor[], options: SegmentListOptions): void {
    const st = this.streams.update(streamId, segments, options);
    if (!st) return;
    if (options.live) {
      this.store.setLiveIds(st.swarmKey, new Set(st.segments.keys()));
      this.loads.forgetUnlisted(st);
    }
    this.loop.queueTick();
  }

  /** Marks the rendition now playing (one per stream type); the previous one keeps seeding for a while. */
  setActiveStream(streamId: string): void {
    if (this.streams.setActive(streamId, this.clock.now())) this.loop.queueTick();
  }

  /** What the player is doing (call on timeupdate, seeking, ratechange, progress). */
  updatePlayback(playback: PlaybackState): void {
    const prev = this.playback;
    this.playback = { ...playback };
    this.loop.playbackChanged(prev, this.playback);
  }

  /**
   * The player's request. Joins an in-flight download of the same segment; serves stored bytes at once. `data` is
   * the caller's own copy (made when first read).
   */
  async loadSegment(streamId: string, segmentId: string, opts: LoadOptions = {}): Promise<LoadResult> {
    const st = this.streams.get(streamId);
    const seg = st?.segments.get(segmentId);
    if (this.destroyed) throw new SwarmcastError('destroyed', 'engine destroyed');
    if (!st || !seg) throw new SwarmcastError('unknown-segment', `unknown segment ${streamId}/${segmentId}`);
    if (opts.signal?.aborted) throw new SwarmcastError('aborted', 'aborted');
    return toLoadResult(await this.loads.request(st, seg, opts));
  }

  /** HTTP-only throughput estimate (bytes/s) for the player's ABR; peers and cache never inflate it. */
  estimateBandwidthBytesPerSec(): number | undefined {
    return this.meter.bandwidth.estimate();
  }

  /** Changes the runtime subset (see DYNAMIC_SETTING_KEYS). */
  applySettings(dynamic: Partial<DynamicSettings>): void {
    this.settings = mergeSettings(dynamic, this.settings, DYNAMIC_SETTING_KEYS);
    this.transport.applySettings();
    this.loop.queueTick();
  }

  getSettings(): Readonly<EngineSettings> {
    return this.settings;
  }

  getStats(): EngineStats {
    const peersBySwarm: Record<string, number> = {};
    const connected: { swarmKey: string; peerId: string; throughputBytesPerSec: number | undefined }[] = [];
    for (const [swarmKey, swarm] of this.transport.swarms()) {
      const peers = swarm.peers();
      peersBySwarm[swarmKey] = peers.length;
      for (const p of peers) connected.push({ swarmKey, peerId: p.id, throughputBytesPerSec: p.throughputBytesPerSec });
    }
    const { http, p2p, cache, up } = this.meter.bytes;
    return {
      httpBytes: http,
      p2pBytes: p2p,
      cacheBytes: cache,
      uploadedBytes: up,
      discardedBytes: this.meter.discardedBytes,
      p2pRatio: http + p2p > 0 ? p2p / (http + p2p) : 0,
      p2pAvailable: this.transport.p2pAvailable(),
      peersBySwarm,
      peers: this.meter.peerStats(connected),
      httpBandwidthBytesPerSec: this.meter.bandwidth.estimate(),
      storedBytes: this.store.usage(),
      integrity: { ...this.meter.integrity, byMethod: { ...this.meter.integrity.byMethod } },
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.loop.destroy();
    this.loads.destroy();
    this.transport.destroy();
    this.store.destroy();
    this.events.removeAll();
  }

  /** The transport's news, as engine events (and a re-plan where it matters). */
  private transportObserver(): TransportObserver {
    const e = this.events;
    return {
      peerConnect: (swarmKey, peerId) => {
        e.emit('peer-connect', { swarmKey, peerId });
        this.loop.queueTick();
      },
      peerClose: (swarmKey, peerId, reason) => e.emit('peer-close', { swarmKey, peerId, reason }),
      // A peer's have/loading news matters at once only to a request held for the swarm; prefetch and seeding
      // decisions wait for the next tick (a big swarm sends such news many times a second).
      peerUpdate: () => {
        if (this.loads.hasIdleRequest()) this.loop.queueTick();
      },
      peerRefused: (swarmKey, peerId, reason) => e.emit('peer-refused', { swarmKey, peerId, reason }),
      bytesUploaded: (swarmKey, peerId, bytes) => {
        this.meter.uploaded(peerId, bytes, swarmKey);
        e.emit('bytes-uploaded', { peerId, bytes });
      },
      trackerError: (trackerUrl, message) => e.emit('tracker-error', { trackerUrl, message }),
      trackerWarning: (trackerUrl, message) => e.emit('tracker-warning', { trackerUrl, message }),
      warning: (message) => e.emit('warning', { message }),
    };
  }
}

/** The real transport: fetch and the P2P network, from the platform's pieces or the page's globals. */
function defaultTransport(platform: Partial<EnginePlatform>): TransportFactory {
  const g = globalThis as Partial<EnginePlatform>;
  return (ctx) =>
    new NetTransport(ctx, {
      fetch: platform.fetch ?? ((...args) => fetch(...args)),
      RTCPeerConnection: 'RTCPeerConnection' in platform ? platform.RTCPeerConnection : g.RTCPeerConnection,
      WebSocket: 'WebSocket' in platform ? platform.WebSocket : g.WebSocket,
      random: platform.random ?? Math.random,
      createNetwork: 'createNetwork' in platform ? platform.createNetwork : (p) => createP2PNetwork(p),
    });
}

/** The public result: `data` is copied out of the shared bytes the first time it is read. */
function toLoadResult(d: Delivery): LoadResult {
  let data: ArrayBuffer | undefined;
  return {
    get data(): ArrayBuffer {
      return (data ??= d.bytes.slice().buffer);
    },
    source: d.source,
    ...(d.peerId ? { peerId: d.peerId } : {}),
    timing: { requestStartMs: d.requestStartMs, firstByteMs: d.firstByteMs, endMs: d.endMs },
    bytes: d.bytes.byteLength,
  };
}
