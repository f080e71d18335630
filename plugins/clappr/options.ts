/**
 * The `p2p` option of a Clappr player: the hls.js integration's options plus `statsIntervalMs` for periodic stats
 * events, one schema; engine settings are validated up front so a typo fails when the player is created.
 */
import { spec, type ConfigOf } from '../../core/internal.js';
import {
  HLSJS_OPTIONS_SCHEMA,
  HLSJS_OPTION_DOCS,
  optionsSchema,
  resolveOptionsWith,
} from '../../integrations/hlsjs/internal.js';

export const CLAPPR_OPTIONS_SCHEMA = optionsSchema('swarmcast/clappr', {
  ...HLSJS_OPTIONS_SCHEMA.specs,
  statsIntervalMs: spec.integer(1000, { min: 0, max: 3600000 }),
});
export type ClapprP2POptions = ConfigOf<typeof CLAPPR_OPTIONS_SCHEMA.specs>;

export const CLAPPR_OPTION_DOCS: Record<keyof ClapprP2POptions, string> = {
  ...HLSJS_OPTION_DOCS,
  statsIntervalMs: 'period of the `swarmcast:stats` event on the playback; 0 = no periodic stats event',
};

export function resolveClapprOptions(input: unknown): ClapprP2POptions {
  return resolveOptionsWith(CLAPPR_OPTIONS_SCHEMA, input);
}
