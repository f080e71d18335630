/**
 * swarmcast for hls.js 1.x (`swarmcast/hlsjs`). hls.js is a peer dependency: nothing here imports it at runtime.
 * The public API only; what the player plugins share beyond it is in ./internal.ts.
 *
 * @module swarmcast/hlsjs
 */
export { HlsJsP2P, type HlsJsP2PConfig } from './p2p.js';
export { withP2P, type HlsP2PConfig, type HlsWithP2P, type HlsWithP2PClass } from './with-p2p.js';
export type { HlsJsP2POptions } from './options.js';
export { VERSION, type ForwardedEvent } from '../common/index.js';
export type { EngineLike } from './types.js';
