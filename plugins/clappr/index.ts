/**
 * swarmcast for Clappr (@clappr/player 0.11.x): a playback for the `plugins` array,
 * `new Clappr.Player({ source, plugins: [SwarmcastClappr], p2p: {...} })`. Clappr is a peer dependency: ESM users
 * build the class from their Clappr (`createSwarmcastClappr(Clappr)`); the UMD bundle, loaded after clappr.js,
 * builds it from `window.Clappr` as `swarmcast.clappr.SwarmcastClappr`.
 *
 * @module swarmcast/clappr
 */
import { createSwarmcastClappr, type ClapprStatic, type SwarmcastPlaybackClass } from './playback.js';

export {
  VERSION,
  createSwarmcastClappr,
  type ClapprStatic,
  type SwarmcastPlaybackClass,
  type SwarmcastPlaybackInstance,
} from './playback.js';
/** Checks `p2p` options as the plugin will (a SettingsError names the bad key); for pages that validate first. */
export { resolveClapprOptions, type ClapprP2POptions } from './options.js';

/** Built from the page's `window.Clappr` when this module loads after clappr.js (script tags); else undefined. */
export const SwarmcastClappr: SwarmcastPlaybackClass | undefined = fromGlobal();

function fromGlobal(): SwarmcastPlaybackClass | undefined {
  const Clappr = (globalThis as { Clappr?: Partial<ClapprStatic> }).Clappr;
  return Clappr?.HLS ? createSwarmcastClappr(Clappr as ClapprStatic) : undefined;
}
