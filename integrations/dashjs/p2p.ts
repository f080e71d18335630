/**
 * `attach(player, options)`: one engine bound to one dash.js player, through dash.js's own extension mechanism
 * (`player.extend('XHRLoader', …)`, registered once per player; see loader.ts). Call it before
 * `player.initialize(…)`: dash.js applies extensions to the loaders it creates afterwards.
 */
import { SettingsError, type EngineStats } from '../../core/index.js';
import { EngineOwner } from '../common/engine-owner.js';
import { DashjsBinding } from './binding.js';
import { hasLoader, installLoader } from './loader.js';
import { resolveOptions, type DashjsP2POptions } from './options.js';
import type { DashjsPlayer, EngineLike } from './types.js';

const isPlayer = (p: unknown): p is DashjsPlayer =>
  typeof p === 'object' &&
  p !== null &&
  ['extend', 'on', 'off', 'getSource', 'isReady'].every((k) => typeof (p as Record<string, unknown>)[k] === 'function');

export class DashjsP2P {
  /** The engine (events, stats, runtime settings: `p2p.engine.on('segment-loaded', …)`). */
  readonly engine: EngineLike;
  readonly options: Readonly<DashjsP2POptions>;
  private readonly owner: EngineOwner;
  private binding: DashjsBinding | undefined;
  private destroyed = false;

  constructor(player: DashjsPlayer, options?: Partial<DashjsP2POptions>) {
    // Validate everything before creating anything, so an options error leaves nothing to clean up.
    this.options = resolveOptions(options);
    if (!isPlayer(player)) {
      throw new SettingsError('swarmcast/dashjs: attach() needs a dash.js player (dashjs.MediaPlayer().create())');
    }
    // A player with a view and a source has created its loaders: an extension registered now would reach only
    // some of them. (Once registered, it serves every later attach() of the same player.)
    if (!hasLoader(player) && player.isReady()) {
      throw new SettingsError(
        'swarmcast/dashjs: call attach(player, …) before player.initialize(video, url) (or attachView/attachSource)',
      );
    }
    installLoader(player);
    this.owner = new EngineOwner(this.options);
    this.engine = this.owner.engine;
    this.binding = new DashjsBinding(player, this.engine, this.options);
  }

  /** The bound player (undefined after destroy). */
  get player(): DashjsPlayer | undefined {
    return this.binding?.player;
  }

  /** The engine's byte counters, peers and HTTP estimate. */
  getStats(): EngineStats {
    return this.engine.getStats();
  }

  /**
   * Unbinds the player (its requests go to dash.js's own XHRLoader again; the player itself is left alone) and
   * destroys the engine unless it was passed in. The extension stays registered: dash.js cannot remove one, and
   * with no route it passes every request through.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.binding?.destroy();
    this.binding = undefined;
    this.owner.destroy();
  }
}

/** Binds swarmcast to a dash.js player: `const p2p = swarmcast.dashjs.attach(player, { core: { trackerUrls } })`. */
export function attach(player: DashjsPlayer, options?: Partial<DashjsP2POptions>): DashjsP2P {
  return new DashjsP2P(player, options);
}
