/**
 * swarmcast for Flowplayer, both generations:
 * - Flowplayer 7 (`flowplayer` 7.2.x, FV Player): an `hlsjs-lite` engine plugin, settings under the player's
 *   `p2p` key. ESM: `registerFlowplayer7(flowplayer)`; the UMD bundle loaded after flowplayer.js registers it.
 * - @flowplayer/player 3.x: `flowplayer(HLS, SwarmcastFlowplayer)`, settings under the player's `p2p` key.
 * Flowplayer and hls.js are peer dependencies, taken from the page (`window.flowplayer`, `window.Hls`).
 *
 * @module swarmcast/flowplayer
 */
import { registerFlowplayer7, type Flowplayer7Registration, type Flowplayer7Static } from './fp7.js';

/** `resolveFlowplayerOptions` checks `p2p` options as the plugin will (a SettingsError names the bad key). */
export { VERSION, resolveFlowplayerOptions, type FlowplayerP2POptions } from './options.js';
export {
  registerFlowplayer7,
  type Flowplayer7Api,
  type Flowplayer7Registration,
  type Flowplayer7Static,
} from './fp7.js';
export { SwarmcastFlowplayer, type Flowplayer3Player } from './fp3.js';

/** Flowplayer 7 registration done from `window.flowplayer` when this module loads after flowplayer.js. */
export const flowplayer7: Flowplayer7Registration | undefined = fromGlobal();

function fromGlobal(): Flowplayer7Registration | undefined {
  // Flowplayer 3's global is also `flowplayer` but has no `engine()`: only Flowplayer 7 (and forks) match.
  const fp = (globalThis as { flowplayer?: Partial<Flowplayer7Static> }).flowplayer;
  if (typeof fp?.engine !== 'function' || !fp.engine('hlsjs-lite')) return undefined;
  return registerFlowplayer7(fp as Flowplayer7Static);
}
