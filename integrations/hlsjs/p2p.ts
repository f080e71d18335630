/**
 * `HlsJsP2P`: one engine plus the hls.js glue. Two ways in:
 * - `new Hls({ ...p2p.hlsjsConfig() })` then `p2p.attach(hls)` (or `p2p.attach(() => player.currentHls)` for
 *   players that recreate hls.js: the getter is consulted whenever a new instance starts loading);
 * - `withP2P(Hls)` (see with-p2p.ts), which does both in its constructor.
 */
import type Hls from 'hls.js';
import type { FragmentLoaderContext, HlsConfig, Loader, PlaylistLoaderContext } from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { EngineOwner } from '../common/engine-owner.js';
import { HlsBinding } from './binding.js';
import { createFragmentLoaderClass } from './fragment-loader.js';
import { resolveOptions, type HlsJsP2POptions } from './options.js';
import { createPlaylistLoaderClass } from './playlist-loader.js';
import type { EngineLike } from './types.js';

type LoaderClass<T extends FragmentLoaderContext | PlaylistLoaderContext> = new (config: HlsConfig) => Loader<T>;
type HlsSource = Hls | (() => Hls | null | undefined);

/** What `hlsjsConfig()` returns: spread it into the hls.js config. */
export interface HlsJsP2PConfig {
  fLoader: HlsConfig['fLoader'];
  pLoader: HlsConfig['pLoader'];
}

export class HlsJsP2P {
  /** The engine (events, stats, runtime settings: `p2p.engine.on('segment-loaded', …)`). */
  readonly engine: EngineLike;
  readonly options: Readonly<HlsJsP2POptions>;
  private readonly owner: EngineOwner;
  private readonly fLoader: NonNullable<HlsConfig['fLoader']>;
  private readonly pLoader: NonNullable<HlsConfig['pLoader']>;
  /** Loaders that were in the hls.js config before ours (user's or a player's): ours fall back to them. */
  private readonly previous = new WeakMap<
    HlsConfig,
    { f?: LoaderClass<FragmentLoaderContext>; p?: LoaderClass<PlaylistLoaderContext> }
  >();
  private source: HlsSource | undefined;
  private binding: HlsBinding | undefined;
  private destroyed = false;

  constructor(options?: Partial<HlsJsP2POptions>) {
    this.options = resolveOptions(options);
    this.owner = new EngineOwner(this.options);
    this.engine = this.owner.engine;
    this.fLoader = createFragmentLoaderClass({
      routeFor: (config) => (this.binding?.hls.config === config ? this.binding : undefined),
      fallbackFor: (config) => this.previous.get(config)?.f ?? (config.loader as LoaderClass<FragmentLoaderContext>),
    });
    this.pLoader = createPlaylistLoaderClass({
      onPlaylistLoader: (config) => this.rebind(config),
      fallbackFor: (config) => this.previous.get(config)?.p ?? (config.loader as LoaderClass<PlaylistLoaderContext>),
    });
  }

  /** hls.js config entries to spread into `new Hls({...})`. Nothing else of the user's config is touched. */
  hlsjsConfig(): HlsJsP2PConfig {
    return { fLoader: this.fLoader, pLoader: this.pLoader };
  }

  /**
   * Binds an hls.js instance, or a getter returning the player's current instance. If the instance's config
   * lacks our loaders (a player overwrote them, or `hlsjsConfig()` was not used) they are installed, falling
   * back to whatever loaders were there.
   */
  attach(hls: HlsSource): void {
    if (this.destroyed) throw new Error('swarmcast/hlsjs: attach() after destroy()');
    this.source = hls;
    const instance = typeof hls === 'function' ? hls() : hls;
    if (instance) this.bind(instance);
  }

  /** Unbinds the current instance; the engine stays (re-`attach` later). */
  detach(): void {
    this.source = undefined;
    this.binding?.destroy();
    this.binding = undefined;
  }

  /** The hls.js instance currently bound, if any. */
  get hls(): Hls | undefined {
    return this.binding?.hls;
  }

  /** The engine's byte counters, peers and HTTP estimate. */
  getStats(): EngineStats {
    return this.engine.getStats();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.detach();
    this.owner.destroy();
  }

  private bind(hls: Hls): void {
    if (this.binding?.hls === hls) return;
    this.binding?.destroy();
    this.installLoaders(hls.config);
    this.binding = new HlsBinding(hls, this.engine, this.options, (b) => {
      b.destroy();
      if (this.binding === b) this.binding = undefined;
    });
  }

  private installLoaders(config: HlsConfig): void {
    const mutable = config as { fLoader?: unknown; pLoader?: unknown };
    if (config.fLoader !== this.fLoader || config.pLoader !== this.pLoader) {
      this.previous.set(config, {
        ...(config.fLoader && config.fLoader !== this.fLoader ? { f: config.fLoader } : {}),
        ...(config.pLoader && config.pLoader !== this.pLoader ? { p: config.pLoader } : {}),
      });
    }
    mutable.fLoader = this.fLoader;
    mutable.pLoader = this.pLoader;
  }

  /** A pLoader was constructed: if it belongs to an instance we are not bound to, ask the getter (rebind). */
  private rebind(config: HlsConfig): void {
    if (this.destroyed || this.binding?.hls.config === config) return;
    const source = this.source;
    const instance = typeof source === 'function' ? source() : source;
    if (instance?.config === config) this.bind(instance);
  }
}
