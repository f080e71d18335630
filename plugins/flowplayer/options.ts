/** The `p2p` player option of both Flowplayer generations: the hls.js integration's options, validated up front. */
import type { ConfigOf } from '../../core/internal.js';
import { HLSJS_OPTIONS_SCHEMA, optionsSchema, resolveOptionsWith } from '../../integrations/hlsjs/internal.js';

export const FLOWPLAYER_OPTIONS_SCHEMA = optionsSchema('swarmcast/flowplayer', HLSJS_OPTIONS_SCHEMA.specs);
export type FlowplayerP2POptions = ConfigOf<typeof FLOWPLAYER_OPTIONS_SCHEMA.specs>;

/** `p2p: false` turns P2P off before this is called; anything else must be an options object. */
export function resolveFlowplayerOptions(input: unknown): FlowplayerP2POptions {
  return resolveOptionsWith(FLOWPLAYER_OPTIONS_SCHEMA, input);
}

export { VERSION } from '../../integrations/hlsjs/internal.js';
/** Engine events are re-emitted on the player as `swarmcast:<name>`. */
export const EVENT_PREFIX = 'swarmcast:';
