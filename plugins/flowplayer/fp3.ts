/**
 * @flowplayer/player 3.x (Wowza): a plugin class, `flowplayer(HLS, SwarmcastFlowplayer)`. Its HLS plugin
 * overwrites `fLoader`/`pLoader` with its failover loaders whatever the config says, so user loaders are useless;
 * the P2P loaders are swapped in on `hls:attached` instead: that fires (setTimeout 0) after `loadSource`, so the
 * master playlist already went out, but with `autoStartLoad` off no fragment has loaded yet, and hls.js reads
 * `config.fLoader` at every fragment load. The failover loaders become the P2P loaders' fallback. One engine per
 * player from its `p2p` config key, destroyed on `reap` (`player.destroy()`); a new source = a new hls.js
 * instance = a new `hls:attached`, which rebinds.
 */
import type Hls from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { HlsJsP2P, forwardEvents } from '../../integrations/hlsjs/internal.js';
import { EVENT_PREFIX, VERSION, resolveFlowplayerOptions } from './options.js';

export const PLUGIN_NAME = 'swarmcast';
/** Emitted by the HLS plugin with `{ hls }` for every hls.js instance it creates. */
const HLS_ATTACHED = 'hls:attached';
/** Emitted by `player.destroy()`. */
const REAP = 'reap';

interface FPEvent<T> {
  detail: T;
}
/** The slice of a Flowplayer 3 player (the extended `<video>`) used. */
export interface Flowplayer3Player {
  on(event: string, fn: (e: FPEvent<never>) => void): unknown;
  off(event: string, fn: (e: FPEvent<never>) => void): unknown;
  emit(event: string, data?: unknown): unknown;
  /** Set by the plugin while P2P runs: the integration (engine included). */
  p2p?: HlsJsP2P | undefined;
  p2pStats?: () => EngineStats;
}

export class SwarmcastFlowplayer {
  static readonly pluginName = PLUGIN_NAME;
  static readonly VERSION = VERSION;

  /** `init` is called once per player with the player's whole config. */
  init(config: { p2p?: unknown }, _root: unknown, player: Flowplayer3Player): void {
    const input = config.p2p;
    if (input === false) return;
    // A bad option throws here, while Flowplayer sets the player up: a typo is seen at once.
    const p2p = new HlsJsP2P(resolveFlowplayerOptions(input));
    const onAttached = (e: FPEvent<{ hls: Hls }>): void => p2p.attach(e.detail.hls);
    const unforward = forwardEvents(p2p.engine, (name, e) => void player.emit(EVENT_PREFIX + name, e));
    const onReap = (): void => {
      player.off(HLS_ATTACHED, onAttached);
      player.off(REAP, onReap);
      unforward();
      p2p.destroy();
      delete player.p2p;
      delete player.p2pStats;
    };
    player.on(HLS_ATTACHED, onAttached);
    player.on(REAP, onReap);
    player.p2p = p2p;
    player.p2pStats = () => p2p.getStats();
  }
}
