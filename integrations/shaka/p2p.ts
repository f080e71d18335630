/**
 * `attach(player, options)`: one engine bound to one Shaka player. Registers the page-wide scheme plugin on the
 * player's shaka copy the first time, then only touches this player (its own request/response filters, events).
 */
import type { EngineStats } from '../../core/index.js';
import { EngineOwner } from '../common/engine-owner.js';
import { ShakaBinding } from './binding.js';
import { resolveOptions, resolveShaka, type ShakaP2POptions } from './options.js';
import { registerSchemePlugin } from './scheme.js';
import type { EngineLike, ShakaPlayer } from './types.js';

export class ShakaP2P {
  /** The engine (events, stats, runtime settings: `p2p.engine.on('segment-loaded', …)`). */
  readonly engine: EngineLike;
  readonly options: Readonly<ShakaP2POptions>;
  private readonly owner: EngineOwner;
  private binding: ShakaBinding | undefined;
  private destroyed = false;

  constructor(player: ShakaPlayer, options?: Partial<ShakaP2POptions>) {
    // Validate everything before creating anything, so an options error leaves nothing to clean up.
    this.options = resolveOptions(options);
    const shaka = resolveShaka(this.options);
    if (!player.getNetworkingEngine()) throw new Error('swarmcast/shaka: attach() needs a live (not destroyed) player');
    registerSchemePlugin(shaka);
    this.owner = new EngineOwner(this.options);
    this.engine = this.owner.engine;
    this.binding = new ShakaBinding(player, this.engine, shaka, this.options);
  }

  /** The bound player (undefined after destroy). */
  get player(): ShakaPlayer | undefined {
    return this.binding?.player;
  }

  /** The engine's byte counters, peers and HTTP estimate. */
  getStats(): EngineStats {
    return this.engine.getStats();
  }

  /**
   * Unbinds the player (its requests go to Shaka's HTTP plugin again; the player itself is left alone) and
   * destroys the engine unless it was passed in. The scheme plugin stays registered: untagged requests pass
   * straight through it.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.binding?.destroy();
    this.binding = undefined;
    this.owner.destroy();
  }
}

/** Binds swarmcast to a Shaka player: `const p2p = swarmcast.shaka.attach(player, { core: { trackerUrls } })`. */
export function attach(player: ShakaPlayer, options?: Partial<ShakaP2POptions>): ShakaP2P {
  return new ShakaP2P(player, options);
}
