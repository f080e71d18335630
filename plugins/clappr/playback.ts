/**
 * The Clappr playback: `Clappr.HLS` (hlsjs-playback, bundled hls.js 1.6) with P2P bound to every hls.js
 * instance it creates. Built from the caller's / page's Clappr (an external: the UMD must extend the page's own
 * `Clappr.HLS`, the only class that carries the bundled hls.js).
 */
import type Hls from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { HlsJsP2P, VERSION, forwardEvents } from '../../integrations/hlsjs/internal.js';
import { resolveClapprOptions, type ClapprP2POptions } from './options.js';

export { VERSION };
/** Playback name (Clappr dedupes playbacks by name; a distinct one keeps the stock `hls` as the fallback). */
export const PLAYBACK_NAME = 'swarmcast_hls';
/** Prefix of the events the playback triggers (`swarmcast:segment-loaded`, `swarmcast:stats`…). */
export const EVENT_PREFIX = 'swarmcast:';

/** The slice of hlsjs-playback (`Clappr.HLS`) the subclass relies on. */
export interface ClapprHlsPlayback {
  options: Record<string, unknown> & { p2p?: unknown };
  _hls: Hls | null;
  _createHLSInstance(): void;
  readonly name: string;
  trigger(name: string, ...args: unknown[]): void;
  on(name: string, fn: (...args: never[]) => void): unknown;
  off(name: string, fn?: (...args: never[]) => void): unknown;
  destroy(): unknown;
}
export type ClapprHlsPlaybackClass = (new (...args: never[]) => ClapprHlsPlayback) & {
  canPlay(resource: string, mimeType?: string): boolean;
};
/** The slice of the Clappr namespace used. */
export interface ClapprStatic {
  HLS: ClapprHlsPlaybackClass;
}

export interface SwarmcastPlaybackInstance extends ClapprHlsPlayback {
  /** The integration (engine included); undefined after destroy. */
  readonly p2p: HlsJsP2P | undefined;
  readonly p2pOptions: Readonly<ClapprP2POptions>;
  /** Engine stats (byte counters, peers, P2P ratio). */
  p2pStats(): EngineStats | undefined;
}
export type SwarmcastPlaybackClass = ClapprHlsPlaybackClass & {
  new (...args: never[]): SwarmcastPlaybackInstance;
  readonly VERSION: string;
  readonly swarmcast: true;
};

/** `plugins: [createSwarmcastClappr(Clappr)]` (the UMD bundle also exposes it built from `window.Clappr`). */
export function createSwarmcastClappr(Clappr: ClapprStatic): SwarmcastPlaybackClass {
  const Base = Clappr.HLS;
  if (typeof Base !== 'function') throw new Error('swarmcast/clappr: Clappr.HLS (hlsjs-playback) is missing');

  class SwarmcastClappr extends (Base as unknown as new (...args: unknown[]) => ClapprHlsPlayback) {
    static readonly VERSION = VERSION;
    static readonly swarmcast = true;
    static canPlay(resource: string, mimeType?: string): boolean {
      return Base.canPlay(resource, mimeType);
    }
    // Clappr reads `name` from the prototype (dedupe, `core.activePlayback.name`).
    override get name(): string {
      return PLAYBACK_NAME;
    }

    readonly p2pOptions: Readonly<ClapprP2POptions>;
    private integration: HlsJsP2P | undefined;
    private unforward: (() => void) | undefined;
    private statsTimer: ReturnType<typeof setInterval> | undefined;

    constructor(...args: unknown[]) {
      // Validate before the playback builds anything: a bad option throws with nothing to clean up.
      const options = (args[0] ?? {}) as { p2p?: unknown };
      const p2pOptions = resolveClapprOptions(options.p2p);
      super(...args);
      this.p2pOptions = p2pOptions;
    }

    get p2p(): HlsJsP2P | undefined {
      return this.integration;
    }

    p2pStats(): EngineStats | undefined {
      return this.integration?.getStats();
    }

    /** Called by `_setup()` for every new hls.js instance (first play, `load(url)`, error recovery). */
    override _createHLSInstance(): void {
      super._createHLSInstance();
      const hls = this._hls;
      if (!hls) return;
      const p2p = (this.integration ??= this.startEngine());
      // attach() installs the P2P loaders on this instance's config (before loadSource: it runs on MEDIA_ATTACHED).
      p2p.attach(hls);
    }

    override destroy(): unknown {
      const result = super.destroy();
      this.stopEngine();
      return result;
    }

    private startEngine(): HlsJsP2P {
      const { statsIntervalMs, ...hlsOptions } = this.p2pOptions;
      const p2p = new HlsJsP2P(hlsOptions);
      this.unforward = forwardEvents(p2p.engine, (name, e) => this.trigger(EVENT_PREFIX + name, e));
      if (statsIntervalMs > 0) {
        this.statsTimer = setInterval(() => this.trigger(`${EVENT_PREFIX}stats`, p2p.getStats()), statsIntervalMs);
      }
      return p2p;
    }

    private stopEngine(): void {
      clearInterval(this.statsTimer);
      this.statsTimer = undefined;
      this.unforward?.();
      this.unforward = undefined;
      this.integration?.destroy();
      this.integration = undefined;
    }
  }
  return SwarmcastClappr;
}
