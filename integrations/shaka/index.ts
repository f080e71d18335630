/** swarmcast for Shaka Player 4.x/5.x. shaka-player is a peer dependency: nothing here imports it at runtime. */
export { attach, ShakaP2P } from './p2p.js';
export {
  DEFAULT_SHAKA_P2P_OPTIONS,
  SHAKA_OPTIONS_SCHEMA,
  SHAKA_OPTION_DOCS,
  resolveOptions,
  type ShakaP2POptions,
} from './options.js';
export { FORWARDED_EVENTS, VERSION, forwardEvents, type ForwardedEvent } from '../common/index.js';
export type { EngineLike, ShakaNamespace, ShakaPlayer } from './types.js';
