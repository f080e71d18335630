import { EngineCore } from './engine-core.js';
import { isPlayable } from './engine-state.js';
import { SwarmcastError } from './errors.js';
import { contentIdFromUrl, renditionKey, swarmKey } from './ids.js';
import type { Waiter } from './load.js';
import { DYNAMIC_SETTING_KEYS, type DynamicSettings, type EngineSettings } from './settings.js';
import { mergeSettings } from './settings-validate.js';
import type { EngineStats } from './stats.js';
import type {
  LoadOptions,
  LoadResult,
  PlaybackState,
  SegmentDescriptor,
  SegmentListOptions,
  StreamDescriptor,
} from './types.js';
export type { EnginePlatform } from './engine-core.js';

/**
 * The engine: integrations describe streams and segments, report playback, and ask for segment bytes; the
 * engine decides HTTP or peers, stores and shares segments, and reports what happened.
 */
export class Engine extends EngineCore {
  /** Sets the content id: `swarmId` if given (tokenised URLs), else the manifest URL without query. Call first. */
  setContent(content: { manifestUrl: string; swarmId?: string }): void {
    for (const load of this.loads.values()) this.dropLoad(load, new SwarmcastError('aborted', 'content changed'));
    this.streams.clear();
    this.active.clear();
    this.contentId = content.swarmId ?? contentIdFromUrl(content.manifestUrl);
  }

  /** Registers a rendition / track; returns its stream id. Its swarm key = versioned(contentId | renditionKey). */
  addStream(stream: StreamDescriptor): string {
    const id = String(this.nextStreamId++);
    const key = swarmKey(this.contentId, renditionKey(stream.type, stream.rendition));
    this.streams.set(id, {
      ...stream,
      id,
      swarmKey: key,
      segments: new Map(),
      order: [],
      live: false,
      inactiveSinceMs: 0,
    });
    return id;
  }

  /** Swarm key of a stream (for diagnostics and tests). */
  getSwarmKey(streamId: string): string | undefined {
    return this.streams.get(streamId)?.swarmKey;
  }

  /** Adds / replaces segments. Live: segments missing from `segments` are forgotten and evicted. */
  updateSegments(streamId: string, segments: readonly SegmentDescriptor[], options: SegmentListOptions): void {
    const st = this.streams.get(streamId);
    if (!st) return;
    st.live = options.live;
    if (options.live) st.segments.clear();
    for (const seg of segments) st.segments.set(seg.id, seg);
    st.order = [...st.segments.values()].sort((a, b) => a.startSec - b.startSec);
    if (options.live) {
      this.store.setLiveIds(st.swarmKey, new Set(st.segments.keys()));
      // Segments that left the live playlist are never requested again: stop speculative downloads of them.
      for (const load of this.loads.values()) {
        if (load.streamId === st.id && !st.segments.has(load.segment.id) && load.waiters.size === 0)
          this.dropLoad(load);
      }
    }
    this.queueTick();
  }

  /** Marks the rendition now playing (one per stream type); the previous one keeps seeding for a while. */
  setActiveStream(streamId: string): void {
    const st = this.streams.get(streamId);
    if (!st) return;
    const prev = this.streams.get(this.active.get(st.type) ?? '');
    if (prev && prev !== st) prev.inactiveSinceMs = this.platform.now();
    this.active.set(st.type, streamId);
    st.inactiveSinceMs = Infinity;
    this.queueTick();
  }

  updatePlayback(playback: PlaybackState): void {
    const prev = this.playback;
    this.playback = { ...playback };
    // Re-plan at once on a seek or when the buffer shrank; timeupdates otherwise wait for the tick.
    if (
      !prev ||
      (!this.joinAllowed && isPlayable(playback)) ||
      Math.abs(playback.positionSec - prev.positionSec) > 1 ||
      playback.bufferedEndSec < prev.bufferedEndSec
    ) {
      this.queueTick();
    }
  }

  /** The player's request. Joins an in-flight download of the same segment; serves stored bytes at once. */
  async loadSegment(streamId: string, segmentId: string, opts: LoadOptions = {}): Promise<LoadResult> {
    const st = this.streams.get(streamId);
    const seg = st?.segments.get(segmentId);
    if (this.destroyed) throw new SwarmcastError('destroyed', 'engine destroyed');
    if (!st || !seg) throw new SwarmcastError('unknown-segment', `unknown segment ${streamId}/${segmentId}`);
    if (opts.signal?.aborted) throw new SwarmcastError('aborted', 'aborted');
    const requestStartMs = this.platform.now();
    if (!this.loads.has(this.store.key(st.swarmKey, segmentId))) {
      const cached = await untilAborted(this.store.read(st.swarmKey, segmentId), opts.signal);
      if (this.isDestroyed()) throw new SwarmcastError('destroyed', 'engine destroyed');
      if (cached) {
        const endMs = this.platform.now();
        this.bytes.cache += cached.byteLength;
        this.firstDeliveredMs ??= endMs;
        opts.onProgress?.(cached.byteLength, cached.byteLength);
        this.emit('segment-loaded', {
          streamId,
          segmentId,
          source: 'cache',
          bytes: cached.byteLength,
          durationMs: endMs - requestStartMs,
        });
        const timing = { requestStartMs, firstByteMs: endMs, endMs };
        return { data: cached.slice().buffer, source: 'cache', timing, bytes: cached.byteLength };
      }
    }
    return new Promise<LoadResult>((resolve, reject) => {
      const load = this.getLoad(st, seg);
      const waiter: Waiter = { opts, requestStartMs, resolve, reject };
      load.waiters.add(waiter);
      opts.signal?.addEventListener('abort', () => {
        if (!load.waiters.delete(waiter)) return;
        reject(new SwarmcastError('aborted', 'aborted'));
        this.emit('segment-abort', { streamId, segmentId });
        if (load.waiters.size > 0 || (load.reason !== 'request' && load.active)) return;
        if (this.nearlyDone(load)) load.reason = 'prefetch';
        else this.dropLoad(load);
      });
      this.queueTick();
    });
  }

  /** HTTP-only throughput estimate (bytes/s) for the player's ABR; peers and cache never inflate it. */
  estimateBandwidthBytesPerSec(): number | undefined {
    return this.bandwidth.estimate();
  }

  /** Changes the runtime subset: p2pEnabled, uploadEnabled, consumeOnly, uploadRateBytesPerSec. */
  applySettings(dynamic: Partial<DynamicSettings>): void {
    this.settings = mergeSettings(dynamic, this.settings, DYNAMIC_SETTING_KEYS);
    if (!this.settings.p2pEnabled) this.swarms.destroy();
    this.swarms.applyUpload(this.settings);
    this.queueTick();
  }

  getSettings(): Readonly<EngineSettings> {
    return this.settings;
  }

  getStats(): EngineStats {
    const peersBySwarm: Record<string, number> = {};
    const peers: EngineStats['peers'] = [];
    const seen = new Set<string>();
    for (const [key, swarm] of this.swarms.all()) {
      peersBySwarm[key] = swarm.peers().length;
      for (const p of swarm.peers()) {
        const b = this.peerBytes.get(p.id);
        seen.add(p.id);
        const entry = { peerId: p.id, swarmKey: key, throughputBytesPerSec: p.throughputBytesPerSec };
        peers.push({ ...entry, downloadedBytes: b?.down ?? 0, uploadedBytes: b?.up ?? 0 });
      }
    }
    for (const [peerId, b] of this.peerBytes) {
      if (!seen.has(peerId)) {
        peers.push({
          peerId,
          swarmKey: b.swarmKey,
          downloadedBytes: b.down,
          uploadedBytes: b.up,
          throughputBytesPerSec: undefined,
        });
      }
    }
    const { http, p2p, cache, up } = this.bytes;
    return {
      httpBytes: http,
      p2pBytes: p2p,
      cacheBytes: cache,
      uploadedBytes: up,
      p2pRatio: http + p2p > 0 ? p2p / (http + p2p) : 0,
      peersBySwarm,
      peers,
      httpBandwidthBytesPerSec: this.bandwidth.estimate(),
      storedBytes: this.store.usage(),
      p2pAvailable: this.swarms.available,
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.wake) clearTimeout(this.wake.timer);
    clearInterval(this.timer);
    for (const load of this.loads.values()) this.dropLoad(load, new SwarmcastError('destroyed', 'engine destroyed'));
    this.swarms.destroy();
    this.store.destroy();
    this.removeAll();
  }
}

/** `work`, or a rejection of type `aborted` as soon as `signal` aborts (a slow store read must not hold an abort). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new SwarmcastError('aborted', 'aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onAbort();
        else resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
