/** swarmcast for dash.js 5.x. dashjs is a peer dependency: nothing here imports it at runtime. */
export { attach, DashjsP2P } from './p2p.js';
export {
  DASHJS_OPTIONS_SCHEMA,
  DASHJS_OPTION_DOCS,
  DEFAULT_DASHJS_P2P_OPTIONS,
  resolveOptions,
  type DashjsP2POptions,
} from './options.js';
export { FORWARDED_EVENTS, VERSION, forwardEvents, type ForwardedEvent } from '../common/index.js';
export type { DashjsPlayer, EngineLike } from './types.js';
