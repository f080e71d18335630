/** Integration options: the `p2p` key of `withP2P(Hls)` configs and the argument of `new HlsJsP2P(…)`. */
import { spec, type ConfigOf } from '../../core/internal.js';
import { COMMON_OPTION_DOCS, optionsSchema, resolveOptions as resolveWith } from '../common/options.js';

const OWN = {
  liveSyncDurationSec: spec.number(0, { min: 0, max: 3600 }),
  maxBufferLengthSec: spec.number(0, { min: 0, max: 3600 }),
};

export const HLSJS_OPTIONS_SCHEMA = optionsSchema('swarmcast/hlsjs', OWN);
export type HlsJsP2POptions = ConfigOf<typeof HLSJS_OPTIONS_SCHEMA.specs>;
export const DEFAULT_HLSJS_P2P_OPTIONS: Readonly<HlsJsP2POptions> = HLSJS_OPTIONS_SCHEMA.defaults();

export const HLSJS_OPTION_DOCS: Record<keyof HlsJsP2POptions, string> = {
  ...COMMON_OPTION_DOCS,
  liveSyncDurationSec:
    'opt-in live tuning: play this many seconds behind the live edge so peers have time to share each segment; applied only when the hls.js config sets no live sync or max latency; 0 = leave hls.js alone',
  maxBufferLengthSec:
    "opt-in buffer cap: caps hls.js's maxBufferLength and maxMaxBufferLength so the player asks only for the near future and the engine prefetches the rest from peers; applied only when the hls.js config sets neither; 0 = leave hls.js alone",
};

/** Validated merge over the defaults; throws a SettingsError (type 'invalid-settings') with a readable message. */
export function resolveOptions(input: unknown): HlsJsP2POptions {
  return resolveWith(HLSJS_OPTIONS_SCHEMA, input);
}
