/**
 * swarmcast for Video.js's own engine (VHS, HLS and DASH), `swarmcast/vhs`. Video.js is a peer dependency, never
 * imported here. The public API only; what the Video.js plugin shares beyond it is in ./internal.ts.
 *
 * @module swarmcast/vhs
 */
export { VhsP2P } from './p2p.js';
export type { VhsP2POptions } from './options.js';
export { VERSION, type ForwardedEvent } from '../common/index.js';
export type * from './types.js';
