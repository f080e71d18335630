/**
 * What the player plugins built on hls.js (Clappr, MediaElement, Flowplayer, JW Player) share with this integration
 * beyond its public API (./index.ts): the options schema they extend and the events they re-emit. Not a package
 * entry and not a public contract (it also re-exports the public API, so a plugin imports one module): it may change in any release.
 */
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
  forwardEvents,
  optionsSchema,
  resolveOptions as resolveOptionsWith,
} from '../common/index.js';
export * from './index.js';
