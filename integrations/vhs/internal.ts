/**
 * What the Video.js plugin shares with this integration beyond its public API (./index.ts): the options schema it
 * extends, the events it re-emits, the playlist-loader hook its live delay uses. Not a package entry and not a
 * public contract (it also re-exports the public API, so the plugin imports one module): it may change in any release.
 */
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
  forwardEvents,
  optionsSchema,
  resolveOptions as resolveOptionsWith,
} from '../common/index.js';
export * from './index.js';
