/** swarmcast for Video.js's own engine (VHS, HLS and DASH). Video.js is a peer dependency, never imported here. */
export { VhsP2P, bufferedEnd } from './p2p.js';
export { VhsBinding } from './binding.js';
export { FakeXhr, type FakeXhrSource } from './fake-xhr.js';
export { requestHookChain } from './hooks.js';
export { withPlaylistLoader } from './playlist-loader.js';
export {
  DEFAULT_VHS_P2P_OPTIONS,
  VHS_OPTION_CHECKS,
  resolveVhsOptions,
  validateOptions,
  type VhsP2POptions,
} from './options.js';
export { describePlaylist, playlistRendition, audioGroupRendition, rangeFromHeader, requestKey } from './segments.js';
export type * from './types.js';
