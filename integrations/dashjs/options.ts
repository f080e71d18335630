/** Options of `attach(player, options)`: the common integration options plus dash.js's own, one schema. */
import { spec, type ConfigOf } from '../../core/internal.js';
import { COMMON_OPTION_DOCS, optionsSchema, resolveOptions as resolveWith } from '../common/options.js';

export const DASHJS_OPTIONS_SCHEMA = optionsSchema('swarmcast/dashjs', {
  segmentListRefreshMs: spec.integer(1000, { min: 100, max: 60000 }),
});
export type DashjsP2POptions = ConfigOf<typeof DASHJS_OPTIONS_SCHEMA.specs>;
export const DEFAULT_DASHJS_P2P_OPTIONS: Readonly<DashjsP2POptions> = DASHJS_OPTIONS_SCHEMA.defaults();

export const DASHJS_OPTION_DOCS: Record<keyof DashjsP2POptions, string> = {
  ...COMMON_OPTION_DOCS,
  segmentListRefreshMs:
    'how often the playing Representations’ segment lists are re-read for the look-ahead (live: the DVR window)',
};

/** Validated merge over the defaults; throws a SettingsError (type 'invalid-settings') with a readable message. */
export function resolveOptions(input: unknown): DashjsP2POptions {
  return resolveWith(DASHJS_OPTIONS_SCHEMA, input);
}
