/**
 * One hls.js instance bound to the engine: learns streams and segments from hls.js events, reports playback,
 * marks the rendition being loaded as active, and routes fragment requests.
 */
import type Hls from 'hls.js';
import type {
  AudioTrackSwitchingData,
  FragmentLoaderContext,
  LevelLoadedData,
  LevelSwitchingData,
  ManifestLoadingData,
  MediaAttachedData,
  TrackLoadedData,
} from 'hls.js';
import type { FragmentRoute } from './fragment-loader.js';
import type { HlsJsP2POptions } from './options.js';
import { audioRendition, describePlaylist, fragmentKey, levelRendition } from './segments.js';
import type { EstimateSources } from './stats.js';
import { applyTuning } from './tuning.js';
import type { EngineLike, SegmentTarget } from './types.js';
import { mediaElementSource, PlaybackReporter } from '../common/playback.js';

export class HlsBinding implements FragmentRoute {
  /** fragment request key → engine target. */
  private readonly targets = new Map<string, SegmentTarget>();
  /** Request keys per stream, to drop a live stream's old entries on each reload. */
  private readonly keysByStream = new Map<string, string[]>();
  private media: HTMLMediaElement | null = null;
  private readonly playback: PlaybackReporter;
  private readonly unbind: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly hls: Hls,
    readonly engine: EngineLike,
    private readonly options: HlsJsP2POptions,
    /** Told when hls.js is being destroyed. */
    private readonly onDestroying: (binding: HlsBinding) => void,
  ) {
    this.playback = new PlaybackReporter(engine);
    const E = (hls.constructor as typeof Hls).Events;
    type HlsEvent = Parameters<Hls['on']>[0];
    const on = (event: HlsEvent, listener: (e: never, data: never) => void): void => {
      hls.on(event, listener as never);
      this.unbind.push(() => hls.off(event, listener as never));
    };
    on(E.MANIFEST_LOADING, (_e: unknown, data: ManifestLoadingData) => this.setContent(data.url));
    on(E.LEVEL_LOADED, (_e: unknown, data: LevelLoadedData) => this.onLevelLoaded(data));
    on(E.AUDIO_TRACK_LOADED, (_e: unknown, data: TrackLoadedData) => this.onAudioTrackLoaded(data));
    on(E.LEVEL_SWITCHING, (_e: unknown, data: LevelSwitchingData) => this.onLevelSwitching(data));
    on(E.AUDIO_TRACK_SWITCHING, (_e: unknown, data: AudioTrackSwitchingData) => this.onAudioSwitching(data));
    on(E.MEDIA_ATTACHED, (_e: unknown, data: MediaAttachedData) => this.attachMedia(data.media));
    on(E.MEDIA_DETACHING, () => this.attachMedia(null));
    on(E.DESTROYING, () => this.onDestroying(this));
    applyTuning(hls, options);
    // Bound late (a player recreated hls.js and we noticed in the pLoader): catch up with what already happened.
    if (hls.url) this.setContent(hls.url);
    if (hls.media) this.attachMedia(hls.media);
  }

  resolve(context: FragmentLoaderContext): SegmentTarget | undefined {
    if (this.destroyed) return undefined;
    const type = context.frag.type as string;
    if (type !== 'main' && !(type === 'audio' && this.options.p2pAudio)) return undefined;
    return this.targets.get(fragmentKey(context.frag));
  }

  estimates(): EstimateSources {
    return {
      engineBytesPerSec: this.engine.estimateBandwidthBytesPerSec(),
      hlsBitsPerSec: this.hls.bandwidthEstimate,
      hlsTtfbMs: this.hls.ttfbEstimate,
    };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.playback.destroy();
    this.media = null;
    for (const off of this.unbind.splice(0)) off();
    this.targets.clear();
  }

  private setContent(manifestUrl: string): void {
    this.engine.setContent({ manifestUrl, ...(this.options.swarmId ? { swarmId: this.options.swarmId } : {}) });
    this.targets.clear();
    this.keysByStream.clear();
  }

  private describe(streamId: string, details: LevelDetails): void {
    const { segments, keys } = describePlaylist(details);
    for (const key of this.keysByStream.get(streamId) ?? []) this.targets.delete(key);
    for (const [key, segmentId] of keys) this.targets.set(key, { streamId, segmentId });
    this.keysByStream.set(streamId, [...keys.keys()]);
    this.engine.updateSegments(streamId, segments, { live: details.live });
  }

  private onLevelLoaded(data: LevelLoadedData): void {
    // `levelInfo` is recent (hls.js ≥ 1.5); players bundling older 1.x only give the index.
    const level = (data.levelInfo as Hls['levels'][number] | undefined) ?? this.hls.levels[data.level];
    if (!level) return;
    this.describe(this.engine.addStream({ type: 'main', rendition: levelRendition(level) }), data.details);
  }

  private onAudioTrackLoaded(data: TrackLoadedData): void {
    if (!this.options.p2pAudio) return;
    this.describe(this.engine.addStream({ type: 'audio', rendition: audioRendition(data.track) }), data.details);
  }

  private onLevelSwitching(data: LevelSwitchingData): void {
    const level = this.hls.levels[data.level];
    if (level) this.engine.setActiveStream(this.engine.addStream({ type: 'main', rendition: levelRendition(level) }));
  }

  private onAudioSwitching(data: AudioTrackSwitchingData): void {
    if (this.options.p2pAudio)
      this.engine.setActiveStream(this.engine.addStream({ type: 'audio', rendition: audioRendition(data) }));
  }

  private attachMedia(media: HTMLMediaElement | null): void {
    if (this.media === media) return;
    this.media = media;
    this.playback.attach(media ? mediaElementSource(media) : undefined);
  }
}

type LevelDetails = LevelLoadedData['details'];
