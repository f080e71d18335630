/** `player.p2p({...})` / `plugins: { p2p: {...} }` options: the VHS integration's plus the player-level ones. */
import { spec, type ConfigOf } from '../../core/internal.js';
import { COMMON_OPTION_DOCS, optionsSchema, resolveOptionsWith } from '../../integrations/vhs/internal.js';

export const VIDEOJS_OPTIONS_SCHEMA = optionsSchema('swarmcast/videojs', {
  overlay: spec.boolean(true),
  overlayIntervalMs: spec.integer(1000, { min: 100, max: 60000 }),
  preferVhs: spec.boolean(false),
  liveDelaySec: spec.number(0, { min: 0, max: 3600 }),
});
export type VideojsP2POptions = ConfigOf<typeof VIDEOJS_OPTIONS_SCHEMA.specs>;
export const DEFAULT_VIDEOJS_P2P_OPTIONS: Readonly<VideojsP2POptions> = VIDEOJS_OPTIONS_SCHEMA.defaults();

export const VIDEOJS_OPTION_DOCS: Record<keyof VideojsP2POptions, string> = {
  ...COMMON_OPTION_DOCS,
  overlay: 'show the `vjs-p2p` overlay (P2P share and peer count)',
  overlayIntervalMs: 'overlay refresh period',
  preferVhs:
    'where native HLS would be used (Safari, iOS), make VHS play instead so P2P works; off: native playback is kept and P2P is off (a warning and a `p2pdisabled` event say so)',
  liveDelaySec:
    "opt-in live tuning: play live streams this many seconds behind VHS's own live point so peers have time to share each new segment; 0 = leave VHS alone",
};

/**
 * Validates everything up front, engine settings included (core's own validation), so a typo fails at
 * `player.p2p({...})` with a readable SettingsError rather than later.
 */
export function resolveVideojsOptions(input: unknown): VideojsP2POptions {
  return resolveOptionsWith(VIDEOJS_OPTIONS_SCHEMA, input);
}
