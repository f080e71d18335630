/** What every integration shares, re-exported by each for its plugins (a plugin imports only its integration). */
export { VERSION } from '../../core/index.js';
export { EngineOwner } from './engine-owner.js';
export { FORWARDED_EVENTS, forwardEvents, type ForwardedEvent } from './events.js';
export {
  COMMON_OPTION_DOCS,
  COMMON_OPTION_SPECS,
  optionsSchema,
  resolveOptions,
  type CommonOptions,
} from './options.js';
export {
  PLAYBACK_EVENTS,
  PlaybackReporter,
  bufferedEnd,
  mediaElementSource,
  type EngineLike,
  type PlaybackSource,
  type TimeRangesLike,
} from './playback.js';
