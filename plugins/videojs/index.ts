/**
 * swarmcast for Video.js: the `p2p` plugin on Video.js's own engine (VHS). Video.js is a peer dependency taken
 * from the caller (`registerP2PPlugin(videojs)`) or, for script-tag pages, from `window.videojs`: loaded after
 * video.js, this bundle registers `p2p` on it, and with `window.swarmcastConfig` or a `data-swarmcast`
 * attribute it also gives every player on the page P2P (drop-in mode).
 *
 * @module swarmcast/videojs
 */
import { runFromScriptTag } from './auto-attach.js';

export type { VideojsP2PInput } from './augment.js';

export { VERSION, registerP2PPlugin } from './plugin.js';
export type { P2PPluginInstance, P2PStats, VideojsPlayer, VideojsStatic } from './plugin.js';
export { autoAttach, type AutoAttachHandle, type VideojsAutoStatic } from './auto-attach.js';
/** Checks `p2p` options as the plugin will (a SettingsError names the bad key); for pages that validate first. */
export { resolveVideojsOptions, type VideojsP2POptions } from './options.js';
export type { VhsP2P } from '../../integrations/vhs/index.js';

if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  runFromScriptTag(window as never, document.currentScript);
}
