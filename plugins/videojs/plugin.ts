/**
 * The `p2p` advanced plugin. Built from the page's / caller's `videojs` at registration time (Video.js is an
 * external: the UMD bundle must use the page's copy, and plugin base classes differ between copies).
 */
import type { EngineStats } from '../../core/index.js';
import {
  VERSION,
  VhsP2P,
  forwardEvents,
  type PlayerLike,
  type TimeRangesLike,
  type VideojsLike,
} from '../../integrations/vhs/internal.js';
import { resolveVideojsOptions, type VideojsP2POptions } from './options.js';
import { LiveDelay } from './live-delay.js';
import { P2POverlay } from './overlay.js';

export { VERSION };
export const PLUGIN_NAME = 'p2p';

/** Player slice the plugin uses on top of the integration's. */
export interface VideojsPlayer extends PlayerLike {
  el(): Element;
  options_?: { html5?: { vhs?: Record<string, unknown> } & Record<string, unknown> };
  currentType(): string;
  duration(): number;
  seekable(): TimeRangesLike;
  currentTime(seconds?: number): number;
  isDisposed?(): boolean;
}

export interface P2PStats extends EngineStats {
  /** P2P is working for this player (false on native playback or when disabled). */
  active: boolean;
  /** Why P2P is off, if it is. */
  inactiveReason: 'native-playback' | undefined;
  /** Player requests answered by the engine, by source. */
  served: Readonly<Record<string, number>>;
}

/** Instance API of `player.p2p()`. */
export interface P2PPluginInstance {
  readonly p2p: VhsP2P;
  readonly options: Readonly<VideojsP2POptions>;
  stats(): P2PStats;
  setP2PEnabled(enabled: boolean): void;
  on(type: string, fn: (...args: never[]) => void): void;
  off(type: string, fn: (...args: never[]) => void): void;
  dispose(): void;
}

interface PluginBase {
  player: VideojsPlayer;
  trigger(event: string, hash?: Record<string, unknown>): void;
  on(type: string, fn: (...args: never[]) => void): void;
  off(type: string, fn: (...args: never[]) => void): void;
  dispose(): void;
}
type PluginBaseClass = new (player: VideojsPlayer) => PluginBase;

/** The slice of `videojs` needed to build and register the plugin. */
export interface VideojsStatic extends VideojsLike {
  getPlugin(name: string): unknown;
  registerPlugin(name: string, plugin: unknown): unknown;
  log: { warn(...args: unknown[]): void };
}

const HLS_OR_DASH = /mpegurl|dash\+xml/i;

export function createP2PPluginClass(
  videojs: VideojsStatic,
): new (player: VideojsPlayer, options?: unknown) => P2PPluginInstance {
  const Base = videojs.getPlugin('plugin') as PluginBaseClass;

  class P2PPlugin extends Base implements P2PPluginInstance {
    static VERSION = VERSION;
    readonly p2p: VhsP2P;
    readonly options: Readonly<VideojsP2POptions>;
    private overlay: P2POverlay | undefined;
    private readonly liveDelay: LiveDelay | undefined;
    private inactiveReason: P2PStats['inactiveReason'];
    /** Stops re-emitting engine events (`player.p2p().on('segment-loaded', (e, data) => …)`). */
    private readonly unforward: () => void;
    private disposed = false;

    constructor(player: VideojsPlayer, input?: unknown) {
      // Validate before super(): a bad option must throw before the plugin is marked active or hooked anywhere.
      const options = resolveVideojsOptions(input);
      super(player);
      this.options = options;
      if (options.preferVhs) preferVhs(player);
      const { core, engine, swarmId, p2pAudio } = options;
      this.p2p = new VhsP2P(videojs, { core, engine, swarmId, p2pAudio });
      this.p2p.attach(player);
      this.unforward = forwardEvents(this.p2p.engine, (name, e) => this.trigger(name, { data: e }));
      // loadstart: the element started on a source (VHS's MSE blob, or the native HLS URL); fires even if native
      // playback then fails, unlike loadedmetadata.
      player.on('loadstart', this.checkNative);
      if (options.liveDelaySec > 0) {
        this.liveDelay = new LiveDelay(player, options.liveDelaySec, videojs);
        player.on('loadedmetadata', this.onMetadata);
      }
      if (options.overlay) {
        this.overlay = new P2POverlay(
          player.el(),
          () => ({ stats: this.p2p.getStats(), active: this.inactiveReason === undefined }),
          options.overlayIntervalMs,
        );
      }
    }

    stats(): P2PStats {
      return {
        ...this.p2p.getStats(),
        active: this.inactiveReason === undefined && this.p2p.vhs !== undefined,
        inactiveReason: this.inactiveReason,
        served: this.p2p.served(),
      };
    }

    /** Runtime switch (e.g. cellular): false makes the engine a plain HTTP loader. */
    setP2PEnabled(enabled: boolean): void {
      this.p2p.engine.applySettings({ p2pEnabled: enabled });
    }

    override dispose(): void {
      if (this.disposed) return;
      this.disposed = true;
      this.player.off('loadstart', this.checkNative);
      this.player.off('loadedmetadata', this.onMetadata);
      this.liveDelay?.destroy();
      this.unforward();
      this.overlay?.destroy();
      this.overlay = undefined;
      this.p2p.destroy();
      super.dispose();
    }

    /**
     * The fallback of LiveDelay: seek back where VHS started closer to the edge than asked (the plugin started
     * after VHS's first play, or a VHS without the delay hook). Live only (duration Infinity), once per source.
     */
    private readonly onMetadata = (): void => {
      const player = this.player;
      if (!this.liveDelay || this.inactiveReason || player.duration() !== Infinity) return;
      const seekable = player.seekable();
      if (seekable.length === 0) return;
      const end = seekable.end(seekable.length - 1);
      const target = Math.max(seekable.start(0), this.liveDelay.applied ? end : end - this.options.liveDelaySec);
      // A second of slack: the playlist may have grown by a segment since VHS chose its start.
      if (player.currentTime() > target + 1) player.currentTime(target);
    };

    /** Native HLS (Safari without preferVhs) skips every VHS hook: report it instead of failing silently. */
    private readonly checkNative = (): void => {
      const player = this.player;
      const vhs = player.tech({ IWillNotUseThisInPlugins: true })?.vhs;
      const streaming = HLS_OR_DASH.test(player.currentType());
      const reason = streaming && !vhs ? 'native-playback' : undefined;
      if (reason === this.inactiveReason) return;
      this.inactiveReason = reason;
      if (reason) {
        videojs.log.warn(
          'swarmcast: native HLS playback bypasses VHS, P2P is off for this source (use { preferVhs: true })',
        );
        this.trigger('p2pdisabled', { reason });
      }
      this.overlay?.update();
    };
  }
  return P2PPlugin;
}

/** Makes VHS play HLS where the browser could play it natively (must be set before the source is handled). */
function preferVhs(player: VideojsPlayer): void {
  const options = (player.options_ ??= {});
  const html5 = (options.html5 ??= {});
  html5.vhs = { ...html5.vhs, overrideNative: true };
  // VHS's documented companions of overrideNative: native track lists would fight VHS's.
  html5.nativeAudioTracks = false;
  html5.nativeVideoTracks = false;
}

/** Registers `p2p` on this `videojs` (idempotent); returns the plugin class. */
export function registerP2PPlugin(videojs: VideojsStatic): unknown {
  const existing = videojs.getPlugin(PLUGIN_NAME) as { VERSION?: string; swarmcast?: boolean } | undefined;
  if (existing?.swarmcast) return existing;
  const Plugin = createP2PPluginClass(videojs);
  (Plugin as unknown as { swarmcast: boolean }).swarmcast = true;
  videojs.registerPlugin(PLUGIN_NAME, Plugin);
  return Plugin;
}
