/** swarmcast for Video.js's own engine (VHS, HLS and DASH). Video.js is a peer dependency, never imported here. */
export { VhsP2P } from './p2p.js';
export { withPlaylistLoader } from './playlist-loader.js';
export {
  DEFAULT_VHS_P2P_OPTIONS,
  VHS_OPTIONS_SCHEMA,
  VHS_OPTION_DOCS,
  resolveVhsOptions,
  type VhsP2POptions,
} from './options.js';
export {
  COMMON_OPTION_DOCS,
  FORWARDED_EVENTS,
  VERSION,
  forwardEvents,
  optionsSchema,
  resolveOptions as resolveOptionsWith,
  type ForwardedEvent,
} from '../common/index.js';
export type * from './types.js';
