/** `player.p2p({...})` / `plugins: { p2p: {...} }` options: the VHS integration's plus the player-level ones. */
import {
  DEFAULT_VHS_P2P_OPTIONS,
  VHS_OPTION_CHECKS,
  validateOptions,
  type VhsP2POptions,
} from '../../integrations/vhs/index.js';
import { mergeSettings } from '../../core/index.js';

export interface VideojsP2POptions extends VhsP2POptions {
  /** Show the `vjs-p2p` overlay (P2P share and peer count). */
  overlay: boolean;
  /** Overlay refresh period. */
  overlayIntervalMs: number;
  /**
   * Where native HLS would be used (Safari, iOS), make VHS play instead (`html5.vhs.overrideNative`) so P2P
   * works. Takes effect for sources set after the plugin starts. Off: native playback is kept and P2P is off
   * (reported with a warning and a `p2pdisabled` event).
   */
  preferVhs: boolean;
  /**
   * Opt-in live tuning: play live streams this many seconds behind VHS's own live point (itself ~3 target
   * durations from the edge), so peers have time to fetch and share each new segment before it is urgent for
   * everyone at once. Trades latency for offload. VHS starts there directly, and its seekable range (so the LIVE
   * button) ends there. 0 = leave VHS alone.
   */
  liveDelaySec: number;
}

export const DEFAULT_VIDEOJS_P2P_OPTIONS: Readonly<VideojsP2POptions> = {
  ...DEFAULT_VHS_P2P_OPTIONS,
  overlay: true,
  overlayIntervalMs: 1000,
  preferVhs: false,
  liveDelaySec: 0,
};

const CHECKS = {
  ...VHS_OPTION_CHECKS,
  overlay: [(v: unknown) => typeof v === 'boolean', 'a boolean'],
  overlayIntervalMs: [(v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 100, 'a number ≥ 100'],
  preferVhs: [(v: unknown) => typeof v === 'boolean', 'a boolean'],
  liveDelaySec: [(v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number ≥ 0'],
} as const satisfies Record<keyof VideojsP2POptions, [(v: unknown) => boolean, string]>;

/**
 * Validates everything up front, engine settings included (core's own validation), so a typo fails at
 * `player.p2p({...})` with a readable SettingsError rather than later.
 */
export function resolveVideojsOptions(input: unknown): VideojsP2POptions {
  const out = validateOptions('swarmcast/videojs', input, DEFAULT_VIDEOJS_P2P_OPTIONS, CHECKS);
  if (!out.engine) mergeSettings(out.core);
  return out;
}
