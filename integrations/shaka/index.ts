/** swarmcast for Shaka Player 4.x/5.x. shaka-player is a peer dependency: nothing here imports it at runtime. */
export { attach, ShakaP2P } from './p2p.js';
export { DEFAULT_SHAKA_P2P_OPTIONS, resolveOptions, type ShakaP2POptions } from './options.js';
export { registerSchemePlugin } from './scheme.js';
export { streamRendition, describeReference, describeInitRequest, type Rendition } from './identity.js';
export { abrTiming, type AbrTiming } from './serve.js';
export { HlsSequenceMap } from './hls-sequence.js';
export type { EngineLike, ShakaNamespace, ShakaPlayer } from './types.js';
