/** The `p2p` player option: exactly the hls.js integration's options, validated up front (engine settings too). */
import { mergeSettings, SettingsError } from '../../core/index.js';
import { resolveOptions, type HlsJsP2POptions } from '../../integrations/hlsjs/index.js';

export type MediaElementP2POptions = HlsJsP2POptions;

export function resolveMediaElementOptions(input: unknown): MediaElementP2POptions {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw new SettingsError('swarmcast/mediaelement: the "p2p" option must be an object');
  }
  const out = resolveOptions(input);
  if (!out.engine) mergeSettings(out.core);
  return out;
}
