/**
 * swarmcast for MediaElement.js 7: the `p2p` feature for the `native_hls` renderer,
 * `new MediaElementPlayer(el, { features: [..., 'p2p'], p2p: {...} })`. MediaElement and hls.js are peer
 * dependencies: ESM users call `registerMediaElementP2P(MediaElementPlayer, Hls)`; the UMD bundle, loaded after
 * hls.js and mediaelement-and-player.js, registers the feature on `window.MediaElementPlayer` itself.
 *
 * @module swarmcast/mediaelement
 */
import type Hls from 'hls.js';
import { registerMediaElementP2P, type MediaElementPlayerClass, type MediaElementRegistration } from './feature.js';

export {
  VERSION,
  registerMediaElementP2P,
  type MediaElementMedia,
  type MediaElementPlayerClass,
  type MediaElementPlayerLike,
  type MediaElementRegistration,
} from './feature.js';
/** Checks `p2p` options as the feature will (a SettingsError names the bad key); for pages that validate first. */
export { resolveMediaElementOptions, type MediaElementP2POptions } from './options.js';

/** Registration done from the page globals when this module loads after mediaelement (script tags). */
export const registration: MediaElementRegistration | undefined = fromGlobals();

function fromGlobals(): MediaElementRegistration | undefined {
  const g = globalThis as { MediaElementPlayer?: MediaElementPlayerClass; Hls?: typeof Hls };
  // Script tags: both globals must be there (hls.js first); bundlers call registerMediaElementP2P themselves.
  return g.MediaElementPlayer && g.Hls ? registerMediaElementP2P(g.MediaElementPlayer, g.Hls) : undefined;
}
