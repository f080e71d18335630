/** Integration options: the `p2p` key of `withP2P(Hls)` configs and the argument of `new HlsJsP2P(…)`. */
import { SettingsError, type EngineSettings } from '../../core/index.js';
import type { EngineLike } from './types.js';

export interface HlsJsP2POptions {
  /** Engine settings (tracker URLs, windows, upload…), validated by core: unknown keys are rejected there. */
  core: Partial<EngineSettings>;
  /**
   * Use this engine instead of creating one (several players sharing one engine, or a test double). `core` is
   * then ignored and `destroy()` leaves the engine alive.
   */
  engine: EngineLike | undefined;
  /**
   * Swarm id shared by every viewer of the content. Default: the manifest URL without scheme and query. Set it
   * when viewers get different manifest URLs (tokens in the path, per-viewer CDN hosts).
   */
  swarmId: string | undefined;
  /** Also load alternate audio renditions (EXT-X-MEDIA TYPE=AUDIO) through the engine. */
  p2pAudio: boolean;
  /**
   * Opt-in live tuning: play this many seconds behind the live edge so peers have time to fetch and share
   * segments. Applied only when the hls.js config sets none of liveSyncDuration, liveSyncDurationCount,
   * liveMaxLatencyDuration, liveMaxLatencyDurationCount. 0 = leave hls.js alone.
   */
  liveSyncDurationSec: number;
  /**
   * Opt-in buffer cap: caps hls.js maxBufferLength and maxMaxBufferLength (seconds) so the player asks only
   * for the near future and the engine prefetches the rest from peers. Applied only when the hls.js config
   * sets neither. 0 = leave hls.js alone.
   */
  maxBufferLengthSec: number;
}

export const DEFAULT_HLSJS_P2P_OPTIONS: Readonly<HlsJsP2POptions> = {
  core: {},
  engine: undefined,
  swarmId: undefined,
  p2pAudio: true,
  liveSyncDurationSec: 0,
  maxBufferLengthSec: 0,
};

type Check = (v: unknown) => boolean;
const CHECKS: Record<keyof HlsJsP2POptions, [Check, string]> = {
  core: [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object of engine settings'],
  engine: [
    (v) => typeof v === 'object' && v !== null && typeof (v as EngineLike).loadSegment === 'function',
    'an engine',
  ],
  swarmId: [(v) => v === undefined || (typeof v === 'string' && v.length > 0), 'a non-empty string or undefined'],
  p2pAudio: [(v) => typeof v === 'boolean', 'a boolean'],
  liveSyncDurationSec: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number ≥ 0'],
  maxBufferLengthSec: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number ≥ 0'],
};

/** Validated merge over the defaults; throws SettingsError (type 'invalid-settings') with a readable message. */
export function resolveOptions(input: unknown): HlsJsP2POptions {
  const out: HlsJsP2POptions = { ...DEFAULT_HLSJS_P2P_OPTIONS };
  if (input === undefined) return out;
  if (typeof input !== 'object' || input === null)
    throw new SettingsError('swarmcast/hlsjs: options must be an object');
  for (const [key, value] of Object.entries(input)) {
    const check = (CHECKS as Record<string, [Check, string] | undefined>)[key];
    if (!check) {
      const known = Object.keys(CHECKS).join(', ');
      throw new SettingsError(
        `swarmcast/hlsjs: unknown option "${key}" (options: ${known}; engine settings go under "core")`,
      );
    }
    if (value === undefined) continue;
    if (!check[0](value)) throw new SettingsError(`swarmcast/hlsjs: option "${key}" must be ${check[1]}`);
    (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}
