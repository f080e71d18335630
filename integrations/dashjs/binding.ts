/**
 * One dash.js player bound to the engine: the route its XHRLoader extension consults for every request (media
 * and init segments of video, and audio if `p2pAudio`, go to the engine), the look-ahead of the playing
 * Representations (segment-list.ts), and the playhead from the player's video element.
 */
import { renditionKey, type SegmentDescriptor, type StreamType } from '../../core/index.js';
import { mediaElementSource, PlaybackReporter } from '../common/playback.js';
import { INIT_SEGMENT, MEDIA_SEGMENT, describeRequest, representationRendition } from './identity.js';
import { setRoute, type LoaderRoute } from './loader.js';
import type { DashjsP2POptions } from './options.js';
import { fillTemplate, learnBase, listSegments, type ListWindow, type UrlBase } from './segment-list.js';
import { serveFromEngine } from './serve.js';
import type { DashRepresentation, DashjsPlayer, EngineLike, LoaderRequest, LoaderResponse } from './types.js';

/** dash.js MediaPlayer events after which the playing Representations are worth re-reading. */
const REFRESH_EVENTS = ['streamInitialized', 'qualityChangeRendered', 'trackChangeRendered', 'manifestLoaded'];
/** VOD look-ahead starts this far behind the playhead (what a peer just behind us may still ask for). */
const VOD_BEHIND_SEC = 60;

type MediaType = 'video' | 'audio';

/** What the engine knows about one rendition (Representations with one rendition key share it). */
interface StreamState {
  engineId: string;
  type: StreamType;
  inits: Map<string, SegmentDescriptor>;
  media: Map<string, SegmentDescriptor>;
  /** Where its segment URLs resolve, learned from its requests (see segment-list.ts). */
  urls: UrlBase | undefined;
  /** Last list pushed to the engine, to skip identical updates. */
  signature: string;
}

export class DashjsBinding implements LoaderRoute {
  private contentKey: string | undefined;
  private readonly states = new Map<string, StreamState>();
  private stateByRep = new WeakMap<DashRepresentation, StreamState | null>();
  private readonly active = new Map<StreamType, string>();
  private readonly playback: PlaybackReporter;
  private readonly timer: ReturnType<typeof setInterval>;
  private media: HTMLMediaElement | null = null;
  private destroyed = false;

  constructor(
    readonly player: DashjsPlayer,
    readonly engine: EngineLike,
    private readonly options: DashjsP2POptions,
  ) {
    this.playback = new PlaybackReporter(engine);
    for (const type of REFRESH_EVENTS) player.on(type, this.refresh);
    player.on('streamTeardownComplete', this.onTeardown);
    this.timer = setInterval(this.refresh, options.segmentListRefreshMs);
    setRoute(player, this);
    this.refresh();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    setRoute(this.player, undefined);
    for (const type of REFRESH_EVENTS) this.player.off(type, this.refresh);
    this.player.off('streamTeardownComplete', this.onTeardown);
    this.playback.destroy();
    this.media = null;
    this.states.clear();
  }

  /** The XHRLoader extension's question: does the engine answer this request? */
  serve(request: LoaderRequest, response: LoaderResponse, fallback: () => void): (() => void) | undefined {
    if (this.destroyed) return undefined;
    const req = request.customData?.request;
    const mediaType = req?.mediaType;
    // Retries go to dash.js's XHR: whatever failed through the engine is not tried the same way twice.
    if (!req || (req.retryAttempts ?? 0) > 0 || (request.method ?? 'GET').toUpperCase() !== 'GET') return undefined;
    if (request.responseType !== undefined && request.responseType !== 'arraybuffer') return undefined;
    if (req.type !== MEDIA_SEGMENT && req.type !== INIT_SEGMENT) return undefined; // index (sidx), MPD, xlink, …
    if (mediaType !== 'video' && !(mediaType === 'audio' && this.options.p2pAudio)) return undefined;
    const rep = req.representation;
    if (!rep || !this.ensureContent()) return undefined;
    const state = this.stateFor(rep, mediaType);
    const segment = state && describeRequest(req);
    if (!state || !segment) return undefined;
    this.learnUrls(state, rep, segment, req.index);
    this.ensureDescribed(state, segment);
    this.markActive(state);
    const target = { streamId: state.engineId, segmentId: segment.id };
    return serveFromEngine(this.engine, target, { request, response, fallback }, () => this.neutralRate());
  }

  /** The engine's HTTP-only estimate, else dash.js's own (it only ever saw HTTP-only or neutral samples). */
  private neutralRate(): number | undefined {
    const engine = this.engine.estimateBandwidthBytesPerSec();
    if (engine !== undefined && engine > 0) return engine;
    const kbps = this.player.getAverageThroughput('video');
    return Number.isFinite(kbps) && kbps > 0 ? (kbps * 1000) / 8 : undefined;
  }

  /** New source (attachSource, or a string manifest URL changed): new content id, new streams. */
  private ensureContent(): boolean {
    let source: string | object;
    try {
      source = this.player.getSource();
    } catch {
      return false; // no source attached
    }
    const swarmId = this.options.swarmId;
    // A manifest passed as an object has no URL to name the swarm: only an explicit swarmId can.
    const manifestUrl = typeof source === 'string' ? source : swarmId;
    if (!manifestUrl) return false;
    if (manifestUrl !== this.contentKey) {
      this.contentKey = manifestUrl;
      this.engine.setContent({ manifestUrl, ...(swarmId ? { swarmId } : {}) });
      this.forget();
    }
    return true;
  }

  private forget(): void {
    this.states.clear();
    this.stateByRep = new WeakMap();
    this.active.clear();
  }

  private readonly onTeardown = (): void => {
    this.contentKey = undefined;
    this.forget();
  };

  private stateFor(rep: DashRepresentation, mediaType: MediaType): StreamState | undefined {
    const known = this.stateByRep.get(rep);
    if (known !== undefined) return known ?? undefined;
    const r = representationRendition(rep, mediaType);
    let state: StreamState | null = null;
    if (r && (r.type !== 'audio' || this.options.p2pAudio)) {
      const key = renditionKey(r.type, r.rendition);
      state = this.states.get(key) ?? null;
      if (!state) {
        const engineId = this.engine.addStream({ type: r.type, rendition: r.rendition });
        state = { engineId, type: r.type, inits: new Map(), media: new Map(), urls: undefined, signature: '' };
        this.states.set(key, state);
      }
    }
    this.stateByRep.set(rep, state);
    return state ?? undefined;
  }

  /** Every request re-learns where the Representation's URLs resolve (a live MPD update may move them). */
  private learnUrls(state: StreamState, rep: DashRepresentation, segment: SegmentDescriptor, index?: number): void {
    if (rep.segmentInfoType === 'SegmentBase' || rep.segmentInfoType === 'BaseURL') {
      state.urls = { kind: 'file', url: segment.url };
      return;
    }
    let relative: string | undefined;
    if (segment.isInit) relative = rep.initialization ?? undefined;
    else if (rep.media && !rep.media.includes('$Time') && typeof index === 'number' && Number.isInteger(index)) {
      // dash.js's index counts from the first segment; the number adds @startNumber.
      relative = fillTemplate(rep.media, { id: rep.id, number: rep.startNumber + index, bandwidth: rep.bandwidth });
    }
    const base = learnBase(segment.url, relative);
    if (base !== undefined) state.urls = { kind: 'template', base };
  }

  private markActive(state: StreamState): void {
    if (this.active.get(state.type) === state.engineId) return;
    this.active.set(state.type, state.engineId);
    this.engine.setActiveStream(state.engineId);
  }

  private ensureDescribed(state: StreamState, segment: SegmentDescriptor): void {
    const map = segment.isInit ? state.inits : state.media;
    if (map.has(segment.id)) return;
    map.set(segment.id, segment);
    this.push(state, true);
  }

  private push(state: StreamState, force: boolean): void {
    const live = this.isLive();
    const media = [...state.media.values()].sort((a, b) => a.startSec - b.startSec);
    const signature = `${live}|${state.inits.size}|${media.length}|${media[0]?.id}|${media.at(-1)?.id}`;
    if (!force && signature === state.signature) return;
    state.signature = signature;
    this.engine.updateSegments(state.engineId, [...state.inits.values(), ...media], { live });
  }

  private isLive(): boolean {
    try {
      return this.player.isDynamic();
    } catch {
      return false; // playback not initialized yet
    }
  }

  /** Look-ahead: the playing Representations' segments, from the window worth listing. */
  private readonly refresh = (): void => {
    if (this.destroyed) return;
    this.attachMedia();
    if (!this.ensureContent()) return;
    const types: MediaType[] = this.options.p2pAudio ? ['video', 'audio'] : ['video'];
    for (const mediaType of types) {
      let rep: DashRepresentation | null;
      try {
        rep = this.player.getCurrentRepresentationForType(mediaType) as DashRepresentation | null;
      } catch {
        return; // streaming not initialized yet
      }
      const state = rep && this.stateFor(rep, mediaType);
      if (!rep || !state) continue;
      this.markActive(state);
      const window = this.listWindow();
      if (!state.urls || !window) continue;
      const listed = listSegments(rep, state.urls, window);
      if (window.live) {
        // Live: the list is the DVR window (what leaves it is forgotten); segments dash.js asked for beyond
        // its end (the edge, before the next refresh) stay until the window passes them.
        const from = listed[0]?.startSec ?? -Infinity;
        const media = new Map(listed.map((s) => [s.id, s]));
        for (const s of state.media.values()) if (s.startSec >= from && !media.has(s.id)) media.set(s.id, s);
        state.media = media;
      } else {
        for (const s of listed) if (!state.media.has(s.id)) state.media.set(s.id, s);
      }
      this.push(state, false);
    }
  };

  private listWindow(): ListWindow | undefined {
    const position = this.media?.currentTime ?? 0;
    if (!this.isLive()) return { startSec: Math.max(0, position - VOD_BEHIND_SEC), endSec: Infinity, live: false };
    let dvr: { start?: number; end?: number };
    try {
      dvr = this.player.getDvrWindow();
    } catch {
      return undefined;
    }
    if (typeof dvr.start !== 'number' || typeof dvr.end !== 'number' || !(dvr.end > dvr.start)) return undefined;
    return { startSec: dvr.start, endSec: dvr.end, live: true };
  }

  private attachMedia(): void {
    let media: HTMLMediaElement | null;
    try {
      media = this.player.getVideoElement();
    } catch {
      media = null; // no view attached
    }
    if (this.media === media) return;
    this.media = media;
    this.playback.attach(media ? mediaElementSource(media) : undefined);
  }
}
