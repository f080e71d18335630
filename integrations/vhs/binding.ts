/**
 * One VHS handler (one source of one player) bound to the engine: a per-player `onRequest` hook hands segment
 * requests the engine can serve a FakeXhr; streams and segments come from `vhs.playlists` (refreshed on every
 * playlist load, so live windows follow); the rendition being loaded is marked active.
 */
import type { RenditionAttributes, StreamType } from '../../core/index.js';
import { FakeXhr } from './fake-xhr.js';
import { requestHookChain } from './hooks.js';
import type { VhsP2POptions } from './options.js';
import { withPlaylistLoader } from './playlist-loader.js';
import {
  audioGroupRendition,
  describePlaylist,
  playlistRendition,
  rangeFromHeader,
  requestKey,
  toRange,
} from './segments.js';
import type {
  EngineLike,
  SegmentTarget,
  VhsHandler,
  VhsPlaylist,
  VideojsLike,
  XhrOptions,
  RequestHook,
} from './types.js';

/** Request types whose bytes are media the swarm can share; keys, manifests, the segment index pass through (see boundSidxProbe). */
const SERVED_REQUEST_TYPES = new Set(['segment', 'segment-media-initialization']);
/** ≈ VHS's own initial estimate order of magnitude; used only before any HTTP sample exists. */
const FALLBACK_BITS_PER_SEC = 500000;

export class VhsBinding {
  private readonly targets = new Map<string, SegmentTarget>();
  private readonly keysByStream = new Map<string, string[]>();
  /** Per stream: a cheap signature of the list last described, to skip redundant updates. */
  private readonly described = new Map<string, string>();
  private readonly active = new Map<StreamType, string>();
  private readonly hook: RequestHook;
  private destroyed = false;
  /** Requests served by the engine, by source (diagnostics). */
  readonly served: Record<string, number> = {};

  constructor(
    readonly vhs: VhsHandler,
    private readonly engine: EngineLike,
    private readonly options: VhsP2POptions,
    videojs: VideojsLike,
    content: { manifestUrl: string; isDash: boolean },
  ) {
    this.isDash = content.isDash;
    engine.setContent({ manifestUrl: content.manifestUrl, ...(options.swarmId ? { swarmId: options.swarmId } : {}) });
    this.hook = requestHookChain(videojs, vhs.xhr, (o) => this.onRequest(o));
    vhs.xhr.onRequest?.(this.hook);
    withPlaylistLoader(vhs, (loader) => {
      if (this.destroyed) return;
      loader.on('loadedplaylist', this.refresh);
      loader.on('mediachange', this.refresh);
    });
    this.refresh();
  }

  private readonly isDash: boolean;
  /** HLS live timelines (media sequence → start), per stream type: renditions of a type share sequences. */
  private readonly timelines = new Map<StreamType, Map<number, number>>();

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.vhs.xhr.offRequest?.(this.hook);
    this.vhs.playlists?.off('loadedplaylist', this.refresh);
    this.vhs.playlists?.off('mediachange', this.refresh);
    this.targets.clear();
  }

  /** The request hook proper (runs after the page's global hooks, see hooks.ts). */
  private onRequest(options: XhrOptions): XhrOptions {
    if (this.destroyed || options.xhr) return options;
    // VHS's container probe carries no requestType (only its error metadata does); it is recognised by its URI.
    if (!options.requestType && !options.headers?.Range) return this.boundSidxProbe(options);
    if (!SERVED_REQUEST_TYPES.has(options.requestType ?? '')) return options;
    const range = rangeFromHeader(options.headers?.Range);
    const key = requestKey(options.uri, range);
    let target = this.targets.get(key);
    if (!target) {
      // A playlist VHS loaded without telling us (audio loaders, a fresh live window): describe and look again.
      this.refresh();
      target = this.targets.get(key);
    }
    if (!target) return options;
    const { streamId, segmentId } = target;
    if (options.requestType === 'segment') this.markActive(streamId);
    const engine = this.engine;
    const fake = new FakeXhr({
      ranged: range !== undefined,
      // VHS times segment requests out after 1.5 target durations, then drops to its lowest rendition.
      load: (opts) =>
        engine.loadSegment(streamId, segmentId, { ...opts, playerTimeoutMs: options.timeout ?? 0 }).then((r) => {
          this.served[r.source] = (this.served[r.source] ?? 0) + 1;
          return r;
        }),
      bandwidthFor: (r) => {
        const neutral = this.neutralBitsPerSec();
        const elapsedSec = (r.timing.endMs - r.timing.requestStartMs) / 1000;
        // A real HTTP transfer no faster than HTTP currently is: let VHS measure it (bad networks show at once).
        if (r.source === 'http' && elapsedSec > 0 && (r.bytes * 8) / elapsedSec <= neutral) return undefined;
        // Peers, the store, or an HTTP prefetch joined half-way: report what HTTP would have shown.
        return Math.max(1, Math.round(neutral));
      },
    });
    return { ...options, xhr: fake };
  }

  /**
   * VHS probes a SegmentBase file's container with a GET of the *whole file* and aborts once it has seen a few
   * bytes; on a fast CDN most of the file is already paid for by then, on every viewer, which no swarm can save.
   * Asking for the bytes up to the end of the segment index instead gives VHS everything it reads (container
   * magic, and the index itself, which it then takes from this response without a second request).
   */
  private boundSidxProbe(options: XhrOptions): XhrOptions {
    const playlists = [...(this.vhs.playlists?.main?.playlists ?? [])];
    for (const group of Object.values(this.vhs.playlists?.main?.mediaGroups?.AUDIO ?? {}))
      for (const entry of Object.values(group ?? {})) playlists.push(...(entry?.playlists ?? []));
    for (const p of playlists) {
      const range = p.sidx?.resolvedUri === options.uri ? toRange(p.sidx.byterange) : undefined;
      if (range) return { ...options, headers: { ...options.headers, Range: `bytes=0-${range.end - 1}` } };
    }
    return options;
  }

  /** The HTTP-only network estimate in bits/s: engine's if it has one, else VHS's current one. */
  private neutralBitsPerSec(): number {
    const engineBps = this.engine.estimateBandwidthBytesPerSec();
    if (engineBps !== undefined && engineBps > 0) return engineBps * 8;
    const vhsBps = this.vhs.bandwidth;
    return typeof vhsBps === 'number' && Number.isFinite(vhsBps) && vhsBps > 0 ? vhsBps : FALLBACK_BITS_PER_SEC;
  }

  private markActive(streamId: string): void {
    const type = this.streamTypes.get(streamId);
    if (!type || this.active.get(type) === streamId) return;
    this.active.set(type, streamId);
    this.engine.setActiveStream(streamId);
  }

  private readonly streamTypes = new Map<string, StreamType>();

  private streamFor(type: StreamType, rendition: RenditionAttributes): string {
    const id = this.engine.addStream({ type, rendition });
    this.streamTypes.set(id, type);
    return id;
  }

  /** Describes every playlist VHS holds segments for (main renditions, DASH audio, the active HLS audio). */
  readonly refresh = (): void => {
    if (this.destroyed) return;
    const loader = this.vhs.playlists;
    const main = loader?.main;
    if (!main) return;
    for (const p of main.playlists) this.describe('main', playlistRendition(p), p);
    const current = loader.media();
    if (current?.segments) {
      this.describe('main', playlistRendition(current), current);
      this.markActive(this.streamFor('main', playlistRendition(current)));
    }
    if (!this.options.p2pAudio) return;
    const audioMedia = this.vhs.playlistController_?.mediaTypes_?.AUDIO?.activePlaylistLoader?.media();
    for (const group of Object.values(main.mediaGroups?.AUDIO ?? {})) {
      for (const [name, entry] of Object.entries(group ?? {})) {
        if (!entry) continue;
        const rendition = audioGroupRendition(name, entry);
        for (const p of entry.playlists ?? []) this.describe('audio', rendition, p);
        // HLS alternate audio: the active loader holds the loaded playlist; match it by URI.
        if (audioMedia?.segments && entry.resolvedUri && audioMedia.resolvedUri === entry.resolvedUri)
          this.describe('audio', rendition, audioMedia);
      }
    }
  };

  private describe(type: StreamType, rendition: RenditionAttributes, playlist: VhsPlaylist): void {
    const segs = playlist.segments;
    if (!segs?.length) return;
    const signature = `${playlist.mediaSequence ?? 0}|${segs.length}|${segs[segs.length - 1]?.resolvedUri ?? ''}`;
    const streamId = this.streamFor(type, rendition);
    if (this.described.get(streamId) === signature) return;
    this.described.set(streamId, signature);
    let timeline = this.timelines.get(type);
    if (!timeline) this.timelines.set(type, (timeline = new Map<number, number>()));
    const { segments, keys, live } = describePlaylist(playlist, this.isDash, timeline);
    // Only the recent past matters for anchoring the next window.
    if (timeline.size > 2000) for (const seq of [...timeline.keys()].slice(0, 1000)) timeline.delete(seq);
    for (const key of this.keysByStream.get(streamId) ?? []) this.targets.delete(key);
    for (const [key, segmentId] of keys) this.targets.set(key, { streamId, segmentId });
    this.keysByStream.set(streamId, [...keys.keys()]);
    this.engine.updateSegments(streamId, segments, { live });
  }
}
