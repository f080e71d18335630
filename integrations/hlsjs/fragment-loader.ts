/**
 * hls.js `fLoader`: media and init segments the engine knows go through `engine.loadSegment`; LL-HLS parts,
 * subtitle fragments and anything not described yet go to the player's own loader, untouched.
 *
 * hls.js contract kept here: `stats` is created in the constructor and only mutated (FragmentLoader stores
 * `frag.stats = loader.stats` right after construction); `onAbort` on abort and never a callback afterwards;
 * `destroy()` is silent; `loadPolicy` TTFB and total timeouts end in `onTimeout`.
 */
import type {
  FragmentLoaderConstructor,
  FragmentLoaderContext,
  HlsConfig,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderStats,
} from 'hls.js';
import type { LoadResult } from '../../core/index.js';
import { createStats, fillCompleted, markPending, type EstimateSources } from './stats.js';
import type { EngineLike, SegmentTarget } from './types.js';

/** What a fragment loader needs from the binding of the hls.js instance that created it. */
export interface FragmentRoute {
  engine: EngineLike;
  /** Engine target of a fragment request, or undefined to use the fallback loader. */
  resolve(context: FragmentLoaderContext): SegmentTarget | undefined;
  estimates(): EstimateSources;
}

export interface FragmentLoaderHost {
  /** The binding for the hls.js instance whose config this is; undefined = plain fallback. */
  routeFor(config: HlsConfig): FragmentRoute | undefined;
  /** The loader to delegate to (the user's fLoader if they had one, else hls.js's default `loader`). */
  fallbackFor(config: HlsConfig): new (config: HlsConfig) => Loader<FragmentLoaderContext>;
}

type Callbacks = LoaderCallbacks<FragmentLoaderContext>;

interface ErrorLike {
  type?: string;
  message?: string;
  status?: number;
}

export function createFragmentLoaderClass(host: FragmentLoaderHost): FragmentLoaderConstructor {
  return class SwarmcastFragmentLoader implements Loader<FragmentLoaderContext> {
    context: FragmentLoaderContext | null = null;
    stats: LoaderStats = createStats();
    private readonly hlsConfig: HlsConfig;
    private fallback: Loader<FragmentLoaderContext> | undefined;
    private callbacks: Callbacks | undefined;
    private controller: AbortController | undefined;
    private timers: ReturnType<typeof setTimeout>[] = [];
    private received = 0;
    private firstByteMs = 0;
    /** Waiting one microtask for the playlist description (see load()). */
    private deferred = false;

    constructor(config: HlsConfig) {
      this.hlsConfig = config;
    }

    load(context: FragmentLoaderContext, config: LoaderConfiguration, callbacks: Callbacks): void {
      this.context = context;
      this.callbacks = callbacks;
      const route = host.routeFor(this.hlsConfig);
      // Parts are tiny, latency-critical and not addressable by peers.
      if (!route || context.part) {
        this.loadFallback(context, config, callbacks);
        return;
      }
      const target = route.resolve(context);
      if (target) {
        this.loadFromEngine(route, target, context, config);
        return;
      }
      // hls.js requests the first fragment of a new playlist from inside its own LEVEL_LOADED handler, before
      // ours has described that playlist: look again once that event dispatch is over.
      this.deferred = true;
      queueMicrotask(() => {
        if (!this.deferred) return; // aborted or destroyed meanwhile
        this.deferred = false;
        const later = route.resolve(context);
        if (later) this.loadFromEngine(route, later, context, config);
        else this.loadFallback(context, config, callbacks);
      });
    }

    private loadFromEngine(
      route: FragmentRoute,
      target: SegmentTarget,
      context: FragmentLoaderContext,
      config: LoaderConfiguration,
    ): void {
      const callbacks = this.callbacks;
      if (!callbacks) return;
      const controller = (this.controller = new AbortController());
      markPending(this.stats, performance.now());
      const { maxTimeToFirstByteMs, maxLoadTimeMs } = config.loadPolicy;
      this.armTimer(maxTimeToFirstByteMs, () => this.received === 0);
      this.armTimer(maxLoadTimeMs, () => true);
      route.engine
        .loadSegment(target.streamId, target.segmentId, {
          signal: controller.signal,
          // The first-byte timer fires first: its timeout ends the load (a retry, and ABR sees a bad network).
          playerTimeoutMs: Math.min(...[maxTimeToFirstByteMs, maxLoadTimeMs].filter((ms) => ms > 0)),
          onProgress: (loaded) => {
            if (controller.signal.aborted) return;
            if (this.received === 0 && loaded > 0) this.firstByteMs = performance.now();
            this.received = loaded;
          },
        })
        .then(
          (result) => {
            if (this.controller === controller && !controller.signal.aborted) this.succeed(route, result);
          },
          (error: unknown) => {
            if (this.controller !== controller || controller.signal.aborted) return;
            if ((error as ErrorLike).type === 'unknown-segment' && this.received === 0) {
              // Described list raced with the request (live reload): let the player's loader do it.
              this.finish(true);
              this.stats.loading.start = this.stats.loaded = this.stats.total = 0;
              this.loadFallback(context, config, callbacks);
              return;
            }
            this.fail(error as ErrorLike);
          },
        );
    }

    abort(): void {
      if (this.fallback) {
        this.fallback.abort();
        return;
      }
      const callbacks = this.callbacks;
      if ((!this.controller && !this.deferred) || !callbacks || !this.context) return;
      this.deferred = false;
      this.finish();
      this.stats.aborted = true;
      callbacks.onAbort?.(this.stats, this.context, null);
    }

    destroy(): void {
      this.deferred = false;
      this.fallback?.destroy();
      this.fallback = undefined;
      this.finish();
      this.callbacks = undefined;
      this.context = null;
    }

    private loadFallback(context: FragmentLoaderContext, config: LoaderConfiguration, callbacks: Callbacks): void {
      const Fallback = host.fallbackFor(this.hlsConfig);
      const fallback = (this.fallback = new Fallback(this.hlsConfig));
      // One stats object for hls.js's whole view of this load: the fallback mutates ours.
      fallback.stats = this.stats;
      fallback.load(context, config, callbacks);
    }

    private armTimer(ms: number, stillApplies: () => boolean): void {
      if (!Number.isFinite(ms) || ms <= 0) return;
      this.timers.push(
        setTimeout(() => {
          if (stillApplies()) this.timeout();
        }, ms),
      );
    }

    /** Clears the timers and forgets the engine request, cancelling it unless it already settled. No callback. */
    private finish(settled = false): void {
      for (const t of this.timers) clearTimeout(t);
      this.timers = [];
      const controller = this.controller;
      this.controller = undefined;
      if (!settled) controller?.abort();
    }

    private timeout(): void {
      const callbacks = this.callbacks;
      const context = this.context;
      if (!callbacks || !context) return;
      this.finish();
      // Real progress, so hls.js's timeout sampling sees what actually arrived (not the pending marker).
      this.stats.loaded = this.received;
      this.stats.total = 0;
      this.stats.loading.first = this.firstByteMs;
      callbacks.onTimeout(this.stats, context, null);
    }

    private succeed(route: FragmentRoute, result: LoadResult): void {
      const callbacks = this.callbacks;
      const context = this.context;
      this.finish(true);
      if (!callbacks || !context) return;
      fillCompleted(this.stats, result, performance.now(), route.estimates());
      // hls.js's stream controller feeds media to the transmuxer from onProgress and only flushes on success.
      callbacks.onProgress?.(this.stats, context, result.data, null);
      callbacks.onSuccess({ url: context.url, data: result.data, code: 200 }, this.stats, context, null);
    }

    private fail(error: ErrorLike): void {
      const callbacks = this.callbacks;
      const context = this.context;
      this.finish(true);
      if (!callbacks || !context) return;
      this.stats.loaded = this.received;
      this.stats.total = 0;
      this.stats.loading.first = this.firstByteMs;
      if (error.type === 'timeout') {
        callbacks.onTimeout(this.stats, context, null);
        return;
      }
      const text = error.message ?? error.type ?? 'engine error';
      callbacks.onError({ code: error.status ?? 0, text }, context, null, this.stats);
    }
  };
}
