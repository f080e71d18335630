/** swarmcast for hls.js 1.x. hls.js is a peer dependency: nothing here imports it at runtime. */
export { HlsJsP2P, type HlsJsP2PConfig } from './p2p.js';
export { withP2P, type HlsP2PConfig, type HlsWithP2P, type HlsWithP2PClass } from './with-p2p.js';
export { DEFAULT_HLSJS_P2P_OPTIONS, resolveOptions, type HlsJsP2POptions } from './options.js';
export { createFragmentLoaderClass, type FragmentLoaderHost, type FragmentRoute } from './fragment-loader.js';
export { createPlaylistLoaderClass, type PlaylistLoaderHost } from './playlist-loader.js';
export { levelRendition, audioRendition, describePlaylist } from './segments.js';
export type { EngineLike, SegmentTarget } from './types.js';
