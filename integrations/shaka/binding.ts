/**
 * One Shaka player bound to the engine, through public API only: a request filter on the player's own
 * NetworkingEngine tags the media and init segment requests of this player (other players on the page are never
 * tagged, so the page-wide scheme plugin passes their requests straight to Shaka's HTTP plugin); a response
 * filter reads HLS media sequence numbers; the playing streams' `segmentIndex` gives the engine its look-ahead;
 * media element events give it the playhead.
 */
import { renditionKey, type SegmentDescriptor, type StreamType } from '../../core/index.js';
import { HlsSequenceMap } from './hls-sequence.js';
import { describeInitRequest, describeReference, streamRendition, type IdContext } from './identity.js';
import type { ShakaP2POptions } from './options.js';
import { tag, type Route } from './scheme.js';
import { serveFromEngine } from './serve.js';
import type {
  EngineLike,
  ShakaNamespace,
  ShakaManifest,
  ShakaPlayer,
  ShakaRequest,
  ShakaRequestContext,
  ShakaRequestType,
  ShakaResponse,
  ShakaStream,
} from './types.js';
import { mediaElementSource, PlaybackReporter } from '../common/playback.js';
const PLAYER_EVENTS = ['loaded', 'trackschanged', 'adaptation', 'variantchanged', 'streaming'] as const;

/** What the engine knows about one rendition (several Shaka streams with one rendition key share it). */
interface StreamState {
  engineId: string;
  type: StreamType;
  inits: Map<string, SegmentDescriptor>;
  media: Map<string, SegmentDescriptor>;
  /** Last list pushed to the engine (count and ends), to skip identical VOD updates. */
  signature: string;
}

type NetEngine = NonNullable<ReturnType<ShakaPlayer['getNetworkingEngine']>>;

export class ShakaBinding {
  private contentUri: string | undefined;
  private readonly states = new Map<string, StreamState>();
  private stateByStream = new WeakMap<ShakaStream, StreamState | null>();
  private readonly active = new Map<StreamType, string>();
  private readonly sequences = new HlsSequenceMap();
  private readonly net: NetEngine;
  private readonly timer: ReturnType<typeof setInterval>;
  private media: HTMLMediaElement | null = null;
  private readonly playback: PlaybackReporter;
  /** Shaka logs a warning on every getManifest() call: read it once per asset (live updates mutate it in place). */
  private manifest: ShakaManifest | null = null;
  private destroyed = false;

  constructor(
    readonly player: ShakaPlayer,
    readonly engine: EngineLike,
    private readonly shaka: ShakaNamespace,
    private readonly options: ShakaP2POptions,
  ) {
    this.playback = new PlaybackReporter(engine);
    const net = player.getNetworkingEngine();
    if (!net) throw new Error('swarmcast/shaka: the player has no NetworkingEngine (destroyed?)');
    this.net = net;
    net.registerRequestFilter(this.requestFilter);
    net.registerResponseFilter(this.responseFilter);
    for (const type of PLAYER_EVENTS) player.addEventListener(type, this.refresh);
    player.addEventListener('unloading', this.onUnloading);
    player.addEventListener('mediaqualitychanged', this.refresh);
    this.timer = setInterval(this.refresh, options.segmentListRefreshMs);
    this.refresh();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    this.net.unregisterRequestFilter(this.requestFilter);
    this.net.unregisterResponseFilter(this.responseFilter);
    for (const type of PLAYER_EVENTS) this.player.removeEventListener(type, this.refresh);
    this.player.removeEventListener('unloading', this.onUnloading);
    this.player.removeEventListener('mediaqualitychanged', this.refresh);
    this.attachMedia(null);
    this.states.clear();
  }

  /** Tags this player's media and init segment requests for the scheme plugin; leaves everything else alone. */
  private readonly requestFilter = (
    type: ShakaRequestType,
    request: ShakaRequest,
    context?: ShakaRequestContext,
  ): void => {
    tag(request, undefined); // a retry re-runs the filters: start from a clean request
    const route = this.destroyed ? undefined : this.routeFor(type, request, context);
    if (route) tag(request, route);
  };

  private routeFor(type: ShakaRequestType, request: ShakaRequest, context?: ShakaRequestContext): Route | undefined {
    const { RequestType, AdvancedRequestType } = this.shaka.net.NetworkingEngine;
    if (type !== RequestType.SEGMENT || !context?.stream || request.method !== 'GET') return undefined;
    // Retries go to Shaka's HTTP plugin: whatever failed through the engine is not tried the same way twice.
    // (`streamDataCallback`, set by Shaka's segment prefetch and low-latency mode, is left uncalled: Shaka then
    // uses the whole response, as it does for plugins without streaming support.)
    if (request.attempt > 0) return undefined;
    // Preloads (player.preload()) may belong to another asset: never file them under the current content's swarms.
    if (context.isPreload) return undefined;
    const isMedia = context.type === AdvancedRequestType.MEDIA_SEGMENT;
    if (!isMedia && context.type !== AdvancedRequestType.INIT_SEGMENT) return undefined;
    if (!this.ensureContent()) return undefined;
    const state = this.stateFor(context.stream);
    if (!state) return undefined;
    const segment = isMedia
      ? context.segment && describeReference(context.segment, this.idContext())
      : describeInitRequest(request);
    if (!segment) return undefined;
    this.ensureDescribed(state, segment);
    this.markActive(state);
    const target = { streamId: state.engineId, segmentId: segment.id };
    return {
      serve: (uri, req, requestType, fallback) =>
        serveFromEngine(this.shaka, this.engine, target, { uri, request: req, requestType, fallback }, () =>
          this.neutralRate(),
        ),
    };
  }

  private readonly responseFilter = (
    type: ShakaRequestType,
    response: ShakaResponse,
    context?: ShakaRequestContext,
  ): void => {
    const { RequestType, AdvancedRequestType } = this.shaka.net.NetworkingEngine;
    if (this.destroyed || type !== RequestType.MANIFEST) return;
    if (context?.type !== undefined && context.type !== AdvancedRequestType.MEDIA_PLAYLIST) return;
    const data = response.data;
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // Only HLS media playlists matter here; MPDs and multivariant playlists are skipped by addPlaylist.
    if (bytes[0] !== 0x23 /* '#' */) return;
    this.sequences.addPlaylist(new TextDecoder().decode(bytes), response.uri);
  };

  /** Shaka's own estimate (bits/s) when the engine has no HTTP sample yet: the sample then changes nothing. */
  private neutralRate(): number | undefined {
    const engine = this.engine.estimateBandwidthBytesPerSec();
    if (engine !== undefined && engine > 0) return engine;
    const shaka = this.player.getStats().estimatedBandwidth;
    return Number.isFinite(shaka) && shaka > 0 ? shaka / 8 : undefined;
  }

  private idContext(): IdContext {
    const manifest = this.getManifest();
    return {
      live: this.player.isLive(),
      hls: manifest?.type.toUpperCase() === 'HLS',
      sequenceOf: (key) => this.sequences.get(key),
    };
  }

  private getManifest(): ShakaManifest | null {
    this.manifest ??= this.player.getManifest();
    return this.manifest;
  }

  /** New asset (Shaka reuses the player across load() calls): new content id, new streams. */
  private ensureContent(): boolean {
    const uri = this.player.getAssetUri();
    if (!uri) return false;
    if (uri !== this.contentUri) {
      this.contentUri = uri;
      this.manifest = null;
      const swarmId = this.options.swarmId;
      this.engine.setContent({ manifestUrl: uri, ...(swarmId ? { swarmId } : {}) });
      this.states.clear();
      this.stateByStream = new WeakMap();
      this.active.clear();
      this.sequences.clear();
    }
    return true;
  }

  private readonly onUnloading = (): void => {
    this.contentUri = undefined;
    this.manifest = null;
    this.states.clear();
    this.stateByStream = new WeakMap();
    this.active.clear();
  };

  private stateFor(stream: ShakaStream): StreamState | undefined {
    const known = this.stateByStream.get(stream);
    if (known !== undefined) return known ?? undefined;
    const manifest = this.getManifest();
    if (!manifest) return undefined;
    // Only streams of the asset this content id names (a stream of another asset must not join its swarms).
    if (!manifest.variants.some((v) => v.video === stream || v.audio === stream)) return undefined;
    const r = streamRendition(manifest, stream);
    let state: StreamState | null = null;
    if (r && (r.type !== 'audio' || this.options.p2pAudio)) {
      const key = renditionKey(r.type, r.rendition);
      state = this.states.get(key) ?? null;
      if (!state) {
        const engineId = this.engine.addStream({ type: r.type, rendition: r.rendition });
        state = { engineId, type: r.type, inits: new Map(), media: new Map(), signature: '' };
        this.states.set(key, state);
      }
    }
    this.stateByStream.set(stream, state);
    return state ?? undefined;
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
    const live = this.player.isLive();
    const media = [...state.media.values()];
    const signature = `${live}|${state.inits.size}|${media.length}|${media[0]?.id}|${media.at(-1)?.id}`;
    if (!force && signature === state.signature) return;
    state.signature = signature;
    this.engine.updateSegments(state.engineId, [...state.inits.values(), ...media], { live });
  }

  /** Look-ahead: the playing variant's streams, from their segment indexes (Shaka creates those it plays). */
  private readonly refresh = (): void => {
    if (this.destroyed) return;
    this.attachMedia(this.player.getMediaElement());
    if (!this.ensureContent()) return;
    const manifest = this.getManifest();
    const track = this.player.getVariantTracks().find((t) => t.active);
    const variant = manifest?.variants.find((v) => v.id === track?.id);
    if (!variant) return;
    const ctx = this.idContext();
    for (const stream of [variant.video, variant.audio]) {
      const state = stream && this.stateFor(stream);
      if (!stream || !state) continue;
      this.markActive(state);
      const index = stream.segmentIndex;
      if (!index) continue;
      const media = ctx.live ? new Map<string, SegmentDescriptor>() : state.media;
      for (const ref of index) {
        const segment = ref && describeReference(ref, ctx);
        if (segment) media.set(segment.id, segment);
      }
      state.media = media;
      this.push(state, false);
    }
  };

  private attachMedia(media: HTMLMediaElement | null): void {
    if (this.media === media) return;
    this.media = media;
    this.playback.attach(media ? mediaElementSource(media) : undefined);
  }
}
