/** The `p2p` player option: exactly the hls.js integration's options, validated up front (engine settings too). */
import type { ConfigOf } from '../../core/internal.js';
import { HLSJS_OPTIONS_SCHEMA, optionsSchema, resolveOptionsWith } from '../../integrations/hlsjs/internal.js';

export const MEDIAELEMENT_OPTIONS_SCHEMA = optionsSchema('swarmcast/mediaelement', HLSJS_OPTIONS_SCHEMA.specs);
export type MediaElementP2POptions = ConfigOf<typeof MEDIAELEMENT_OPTIONS_SCHEMA.specs>;

export function resolveMediaElementOptions(input: unknown): MediaElementP2POptions {
  return resolveOptionsWith(MEDIAELEMENT_OPTIONS_SCHEMA, input);
}
