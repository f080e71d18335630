/**
 * Options shared by every hls.js-based player plugin of this folder's player: the hls.js integration's options
 * (validated by it, unknown keys rejected) plus `statsIntervalMs` for periodic stats events.
 */
import { mergeSettings, SettingsError } from '../../core/index.js';
import { resolveOptions, type HlsJsP2POptions } from '../../integrations/hlsjs/index.js';

export interface ClapprP2POptions extends HlsJsP2POptions {
  /** Period of the `swarmcast:stats` event on the playback; 0 = no periodic stats event. */
  statsIntervalMs: number;
}

/** Validates everything up front (engine settings included) so a typo fails when the player is created. */
export function resolveClapprOptions(input: unknown): ClapprP2POptions {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    throw new SettingsError('swarmcast/clappr: the "p2p" option must be an object');
  }
  const { statsIntervalMs = 1000, ...rest } = (input ?? {}) as Record<string, unknown>;
  if (typeof statsIntervalMs !== 'number' || !Number.isFinite(statsIntervalMs) || statsIntervalMs < 0) {
    throw new SettingsError('swarmcast/clappr: option "statsIntervalMs" must be a number ≥ 0');
  }
  const out = resolveOptions(rest);
  if (!out.engine) mergeSettings(out.core);
  return { ...out, statsIntervalMs };
}
