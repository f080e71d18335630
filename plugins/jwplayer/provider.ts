/**
 * The JW Player 8 provider: hls.js with P2P, registered with `jwplayer.api.registerProvider`. JW's built-in
 * 'hlsjs' provider runs JW's private hls.js fork and exposes no loader option, so the only way in is a whole
 * provider. It implements the provider contract of jwplayer/jwplayer (`providers/default.ts`: playback, container,
 * quality levels, audio tracks, seek range, state) and triggers JW's provider events (`state`, `time`, `meta`,
 * `bufferChange`, `bufferFull`, `levels`, `levelsChanged`, `visualQuality`, `audioTracks`, `providerFirstFrame`,
 * `mediaError`…). Methods JW has defaults for and that mean nothing here (fullscreen, controls) are left to JW.
 */
import type Hls from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { HlsJsP2P } from '../../integrations/hlsjs/index.js';
import { Emitter } from './emitter.js';
import { bindMediaEvents } from './media-events.js';
import {
  PROVIDER_NAME,
  VERSION,
  isHlsSource,
  resolveJwOptions,
  type JwPlaylistItem,
  type JwProviderConfig,
  type JwSource,
} from './options.js';

export interface QualityLevel {
  label: string;
  width?: number;
  height?: number;
  bitrate?: number;
}
export interface AudioTrack {
  name: string;
  language: string;
  autoselect: boolean;
  defaulttrack: boolean;
}

/** Live providers by JW player id: JW's `getProvider()` returns only `{ name }`, so stats are reached here. */
const byPlayerId = new Map<string, SwarmcastHlsProvider>();

/** The swarmcast provider currently serving the JW player with this id (`jwplayer(id)`), if any. */
export function getSwarmcastProvider(playerId: string): SwarmcastHlsProvider | undefined {
  return byPlayerId.get(playerId);
}

/** Base of the provider class; `createSwarmcastProvider(Hls)` binds it to an hls.js class. */
export class SwarmcastHlsProvider extends Emitter {
  static readonly VERSION = VERSION;
  /** The hls.js class (set by `createSwarmcastProvider`). */
  static readonly Hls: typeof Hls | undefined = undefined;
  // Arrow functions: JW stores and calls them unbound (`{ name, supports: Provider.supports }`).
  static readonly getName = (): { name: string } => ({ name: PROVIDER_NAME });
  static readonly supports: (source: JwSource) => boolean = () => false;

  readonly video: HTMLVideoElement;
  state = 'idle';
  seeking = false;
  stallTime = -1;
  instreamMode = false;
  readonly supportsPlaybackRate = true;
  readonly renderNatively = false;
  readonly p2p: HlsJsP2P;
  private hls: Hls | undefined;
  private container: HTMLElement | undefined;
  private readonly ownsVideo: boolean;
  private readonly hlsClass: typeof Hls;
  private readonly config: JwProviderConfig;
  private unbindMedia: (() => void) | undefined;
  private pendingStart = 0;
  /** File of the source the current hls.js instance plays. */
  private loadedFile: string | undefined;
  private mediaErrorRecovered = false;

  private readonly playerId: string;

  constructor(playerId: string, config: JwProviderConfig = {}, mediaElement?: HTMLVideoElement) {
    super();
    const HlsClass = (this.constructor as typeof SwarmcastHlsProvider).Hls;
    if (!HlsClass) throw new Error('swarmcast/jwplayer: use createSwarmcastProvider(Hls) / registerSwarmcastProvider');
    this.hlsClass = HlsClass;
    // Validate first: a bad `p2p` option throws from setup, before anything is allocated.
    this.p2p = new HlsJsP2P(resolveJwOptions(config.p2p));
    this.config = config;
    this.ownsVideo = !mediaElement;
    this.video = mediaElement ?? document.createElement('video');
    this.attachMedia();
    this.playerId = playerId;
    byPlayerId.set(playerId, this);
  }

  getName(): { name: string } {
    return { name: PROVIDER_NAME };
  }

  // --- playback ----------------------------------------------------------------------------------------
  /** JW sets the item up without playing: nothing is fetched until `preload` or `load`. */
  init(_item: JwPlaylistItem): void {
    // Deliberately empty (JW's default): loading here would spend CDN bytes on players never played.
  }

  /** JW's `preload` setting: start loading the item (manifest, first fragments) ahead of `play()`. */
  preload(item: JwPlaylistItem): void {
    if (this.loadedFile !== item.sources[0]?.file) this.startSource(item);
  }

  /** Loads the item unless `preload` already did (same file: keep the buffered data). */
  load(item: JwPlaylistItem): void {
    this.preload(item);
    this.setState('loading');
  }

  play(): Promise<void> {
    if (!this.hls) return Promise.reject(new Error('swarmcast/jwplayer: play() before load()'));
    return this.video.play();
  }

  pause(): void {
    this.video.pause();
  }

  stop(): void {
    this.destroyHls();
    this.video.removeAttribute('src');
    this.video.load();
    this.setState('idle');
  }

  /** JW positions: seconds from the start (VOD), or ≤ 0 from the live edge on DVR streams. */
  seek(position: number): void {
    const range = this.getSeekRange();
    const target = this.isDvr() && position < 0 ? range.end + position : range.start + position;
    const offset = Math.max(range.start, Math.min(target, range.end));
    this.seeking = true;
    this.trigger('seek', { position: this.getCurrentTime(), offset: position, duration: this.getDuration() });
    if (this.video.readyState > 0) this.video.currentTime = offset;
    else this.pendingStart = offset;
  }

  volume(volume: number): void {
    this.video.volume = Math.max(0, Math.min(1, volume / 100));
  }

  mute(muted: boolean | string): void {
    this.video.muted = muted === true || muted === 'true';
  }

  setPlaybackRate(rate: number): void {
    this.video.playbackRate = this.video.defaultPlaybackRate = rate;
  }

  getPlaybackRate(): number {
    return this.video.playbackRate;
  }

  // --- container ---------------------------------------------------------------------------------------
  setContainer(element: HTMLElement): void {
    this.container = element;
    if (this.video.parentNode !== element) element.appendChild(this.video);
  }

  getContainer(): HTMLElement | undefined {
    return this.container;
  }

  setVisibility(visible: boolean): void {
    if (this.container) this.container.style.visibility = visible ? 'visible' : 'hidden';
  }

  resize(): void {
    // The <video> fills its container (JW's CSS); nothing to compute for hls.js.
  }

  remove(): void {
    this.stop();
    if (this.ownsVideo) this.video.remove();
    this.container = undefined;
  }

  /** Frees everything: hls.js, the P2P engine (peers, tracker socket), listeners, our <video>. */
  destroy(): void {
    this.destroyHls();
    this.p2p.destroy();
    if (byPlayerId.get(this.playerId) === this) byPlayerId.delete(this.playerId);
    this.detachMedia();
    if (this.ownsVideo) this.video.remove();
    this.off();
  }

  attachMedia(): void {
    this.unbindMedia ??= bindMediaEvents(this);
  }

  detachMedia(): HTMLVideoElement {
    this.unbindMedia?.();
    this.unbindMedia = undefined;
    return this.video;
  }

  setState(state: string): void {
    this.state = state;
    this.trigger('state', { newstate: state });
  }

  // --- timeline ----------------------------------------------------------------------------------------
  isLive(): boolean {
    return this.video.duration === Infinity || this.hls?.levels[this.hls.currentLevel]?.details?.live === true;
  }

  getSeekRange(): { start: number; end: number } {
    const s = this.video.seekable;
    if (this.isLive() && s.length) return { start: s.start(0), end: s.end(s.length - 1) };
    return { start: 0, end: this.getDuration() };
  }

  /** JW convention: VOD duration; DVR live = minus the window; live without DVR = Infinity. */
  getDuration(): number {
    if (!this.isLive()) return Number.isFinite(this.video.duration) ? this.video.duration : 0;
    const s = this.video.seekable;
    const window = s.length ? s.end(s.length - 1) - s.start(0) : 0;
    return this.isDvr() ? -window : Infinity;
  }

  getCurrentTime(): number {
    const t = this.video.currentTime;
    return this.isDvr() ? t - this.getSeekRange().end : t;
  }

  getLiveLatency(): number | null {
    return this.isLive() && this.hls ? this.hls.latency : null;
  }

  getBandwidthEstimate(): number | null {
    const estimate = this.hls?.bandwidthEstimate;
    return estimate !== undefined && Number.isFinite(estimate) ? estimate : null;
  }

  // --- quality levels and audio tracks (index 0 = Auto when there are several levels, as JW does) ----------
  getQualityLevels(): QualityLevel[] {
    const levels = (this.hls?.levels ?? []).map((l) => ({
      label: l.height ? `${l.height}p` : `${Math.round(l.bitrate / 1000)} kbps`,
      width: l.width,
      height: l.height,
      bitrate: l.bitrate,
    }));
    return levels.length > 1 ? [{ label: 'Auto' }, ...levels] : levels;
  }

  getCurrentQuality(): number {
    const hls = this.hls;
    if (!hls || hls.levels.length <= 1) return 0;
    return hls.autoLevelEnabled ? 0 : (hls.manualLevel >= 0 ? hls.manualLevel : hls.currentLevel) + 1;
  }

  setCurrentQuality(index: number): void {
    const hls = this.hls;
    if (!hls || hls.levels.length <= 1 || index < 0 || index > hls.levels.length) return;
    // nextLevel: switch at the next fragment without flushing the buffer (no rebuffer on a menu click).
    hls.nextLevel = index === 0 ? -1 : index - 1;
    this.trigger('levelsChanged', { currentQuality: index, levels: this.getQualityLevels() });
  }

  getAudioTracks(): AudioTrack[] {
    return (this.hls?.audioTracks ?? []).map((t) => ({
      name: t.name,
      language: t.lang ?? '',
      autoselect: t.autoselect,
      defaulttrack: t.default,
    }));
  }

  getCurrentAudioTrack(): number {
    return this.hls?.audioTrack ?? -1;
  }

  setCurrentAudioTrack(index: number): void {
    const hls = this.hls;
    if (!hls || index < 0 || index >= hls.audioTracks.length || index === hls.audioTrack) return;
    hls.audioTrack = index;
    this.trigger('audioTrackChanged', { currentTrack: index, tracks: this.getAudioTracks() });
  }

  /** swarmcast stats of this player (`jwplayer().getProvider()` does not expose the instance; see README). */
  getP2PStats(): EngineStats {
    return this.p2p.getStats();
  }

  // --- hls.js ------------------------------------------------------------------------------------------
  private startSource(item: JwPlaylistItem): void {
    const HlsClass = this.hlsClass;
    const E = HlsClass.Events;
    const source = item.sources[0];
    if (!source) throw new Error('swarmcast/jwplayer: playlist item without sources');
    this.destroyHls();
    this.mediaErrorRecovered = false;
    this.pendingStart = item.starttime ?? 0;
    this.loadedFile = source.file;
    const hls = new HlsClass({ ...this.config.hlsjsConfig, ...this.p2p.hlsjsConfig() });
    this.hls = hls;
    this.p2p.attach(hls);
    hls.on(E.MANIFEST_PARSED, () => {
      this.trigger('levels', { levels: this.getQualityLevels(), currentQuality: this.getCurrentQuality() });
      this.trigger('mediaType', { mediaType: 'video' });
    });
    hls.on(E.AUDIO_TRACKS_UPDATED, () => {
      this.trigger('audioTracks', { tracks: this.getAudioTracks(), currentTrack: this.getCurrentAudioTrack() });
    });
    hls.on(E.LEVEL_SWITCHED, (_e, data) => {
      const level = hls.levels[data.level];
      this.trigger('visualQuality', {
        reason: hls.autoLevelEnabled ? 'auto' : 'api',
        mode: hls.autoLevelEnabled ? 'auto' : 'manual',
        level: {
          index: data.level + 1,
          label: level?.height ? `${level.height}p` : '',
          width: level?.width,
          height: level?.height,
          bitrate: level?.bitrate,
        },
      });
    });
    hls.on(E.ERROR, (_e, data) => {
      if (!data.fatal) return;
      if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR && !this.mediaErrorRecovered) {
        this.mediaErrorRecovered = true;
        this.trigger('warning', { code: 324000, message: data.details });
        hls.recoverMediaError();
        return;
      }
      this.destroyHls();
      this.setState('error');
      this.trigger('mediaError', { code: 224000, message: `hls.js: ${data.details}`, sourceError: data.error });
    });
    hls.loadSource(source.file);
    hls.attachMedia(this.video);
  }

  /** Applied on `loadedmetadata` (a starttime or an early seek). */
  applyPendingStart(): void {
    if (this.pendingStart > 0) this.video.currentTime = this.pendingStart;
    this.pendingStart = 0;
  }

  private isDvr(): boolean {
    if (this.video.duration !== Infinity) return false;
    const s = this.video.seekable;
    const window = s.length ? s.end(s.length - 1) - s.start(0) : 0;
    return window >= (this.config.minDvrWindow ?? 120);
  }

  private destroyHls(): void {
    this.loadedFile = undefined;
    if (!this.hls) return;
    this.p2p.detach();
    this.hls.destroy();
    this.hls = undefined;
  }
}

/** The provider class for this hls.js (pass it to `jwplayer.api.registerProvider`). */
export function createSwarmcastProvider(HlsClass: typeof Hls): typeof SwarmcastHlsProvider {
  return class extends SwarmcastHlsProvider {
    static override readonly Hls = HlsClass;
    static override readonly supports = (source: JwSource): boolean => isHlsSource(source, HlsClass.isSupported());
  };
}

export type SwarmcastProviderClass = typeof SwarmcastHlsProvider;
export type SwarmcastProvider = SwarmcastHlsProvider;
