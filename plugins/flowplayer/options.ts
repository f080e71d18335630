/** The `p2p` player option of both Flowplayer generations: the hls.js integration's options, validated up front. */
import { mergeSettings, SettingsError } from '../../core/index.js';
import { resolveOptions, type HlsJsP2POptions } from '../../integrations/hlsjs/index.js';

export type FlowplayerP2POptions = HlsJsP2POptions;

export function resolveFlowplayerOptions(input: unknown): FlowplayerP2POptions {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw new SettingsError('swarmcast/flowplayer: the "p2p" option must be an object (or false: P2P off)');
  }
  const out = resolveOptions(input);
  if (!out.engine) mergeSettings(out.core);
  return out;
}

export const VERSION = '0.1.0';
/** Engine events re-emitted on the player as `swarmcast:<name>`. */
export const FORWARDED = ['segment-loaded', 'peer-connect', 'peer-close', 'warning'] as const;
export const EVENT_PREFIX = 'swarmcast:';
