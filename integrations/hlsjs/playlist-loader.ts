/**
 * hls.js `pLoader`: playlists always come from the player's own loader (they are small, per-viewer and often
 * tokenised). The wrapper exists for one reason: hls.js constructs it when a (new) instance starts loading a
 * manifest, which is the moment to rebind to instances a player recreated behind our back.
 */
import type {
  HlsConfig,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderStats,
  PlaylistLoaderConstructor,
  PlaylistLoaderContext,
} from 'hls.js';

export interface PlaylistLoaderHost {
  /** Called from every pLoader constructor with the creating instance's config. */
  onPlaylistLoader(config: HlsConfig): void;
  fallbackFor(config: HlsConfig): new (config: HlsConfig) => Loader<PlaylistLoaderContext>;
}

export function createPlaylistLoaderClass(host: PlaylistLoaderHost): PlaylistLoaderConstructor {
  return class SwarmcastPlaylistLoader implements Loader<PlaylistLoaderContext> {
    private readonly inner: Loader<PlaylistLoaderContext>;

    constructor(config: HlsConfig) {
      host.onPlaylistLoader(config);
      const Inner = host.fallbackFor(config);
      this.inner = new Inner(config);
    }

    get stats(): LoaderStats {
      return this.inner.stats;
    }

    set stats(value: LoaderStats) {
      this.inner.stats = value;
    }

    get context(): PlaylistLoaderContext | null {
      return this.inner.context;
    }

    set context(value: PlaylistLoaderContext | null) {
      this.inner.context = value;
    }

    load(
      context: PlaylistLoaderContext,
      config: LoaderConfiguration,
      callbacks: LoaderCallbacks<PlaylistLoaderContext>,
    ): void {
      this.inner.load(context, config, callbacks);
    }

    abort(): void {
      this.inner.abort();
    }

    destroy(): void {
      this.inner.destroy();
    }

    /** Live reload scheduling uses the playlist's cache age (Age header). */
    getCacheAge(): number | null {
      return this.inner.getCacheAge?.() ?? null;
    }

    getResponseHeader(name: string): string | null {
      return this.inner.getResponseHeader?.(name) ?? null;
    }
  };
}
