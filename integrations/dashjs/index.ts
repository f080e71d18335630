/**
 * swarmcast for dash.js 5.x. dashjs is a peer dependency: nothing here imports it at runtime.
 *
 * @module swarmcast/dashjs
 */
export { attach, DashjsP2P } from './p2p.js';
export type { DashjsP2POptions } from './options.js';
export { VERSION, type ForwardedEvent } from '../common/index.js';
export type { DashjsPlayer, EngineLike } from './types.js';
