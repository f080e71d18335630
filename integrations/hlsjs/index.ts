/** swarmcast for hls.js 1.x. hls.js is a peer dependency: nothing here imports it at runtime. */
export { HlsJsP2P, type HlsJsP2PConfig } from './p2p.js';
export { withP2P, type HlsP2PConfig, type HlsWithP2P, type HlsWithP2PClass } from './with-p2p.js';
export {
  DEFAULT_HLSJS_P2P_OPTIONS,
  HLSJS_OPTIONS_SCHEMA,
  HLSJS_OPTION_DOCS,
  resolveOptions,
  type HlsJsP2POptions,
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
export type { EngineLike } from './types.js';
