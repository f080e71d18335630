/**
 * swarmcast for Shaka Player 4.x/5.x. shaka-player is a peer dependency: nothing here imports it at runtime.
 *
 * @module swarmcast/shaka
 */
export { attach, ShakaP2P } from './p2p.js';
export type { ShakaP2POptions } from './options.js';
export { VERSION, type ForwardedEvent } from '../common/index.js';
export type { EngineLike, ShakaNamespace, ShakaPlayer } from './types.js';
