/** Integration options: the argument of `new VhsP2P(videojs, {...})` (and the engine part of `player.p2p({...})`). */
import type { ConfigOf } from '../../core/internal.js';
import { COMMON_OPTION_DOCS, optionsSchema, resolveOptions } from '../common/options.js';

export const VHS_OPTIONS_SCHEMA = optionsSchema('swarmcast/vhs', {});
export type VhsP2POptions = ConfigOf<typeof VHS_OPTIONS_SCHEMA.specs>;
export const DEFAULT_VHS_P2P_OPTIONS: Readonly<VhsP2POptions> = VHS_OPTIONS_SCHEMA.defaults();
export const VHS_OPTION_DOCS: Record<keyof VhsP2POptions, string> = COMMON_OPTION_DOCS;

export function resolveVhsOptions(input: unknown): VhsP2POptions {
  return resolveOptions(VHS_OPTIONS_SCHEMA, input);
}
