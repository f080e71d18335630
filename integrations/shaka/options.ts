/** Options of `attach(player, options)`: one typed defaults object, unknown keys rejected. */
import { SettingsError, type EngineSettings } from '../../core/index.js';
import type { EngineLike, ShakaNamespace } from './types.js';

export interface ShakaP2POptions {
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
  /**
   * The shaka-player namespace the player comes from. Default: the page's global `shaka`. Scheme plugins are
   * registered on this copy's NetworkingEngine, so it must be the copy that created the player.
   */
  shaka: ShakaNamespace | undefined;
  /** Also load audio streams (DASH audio AdaptationSets, HLS EXT-X-MEDIA audio) through the engine. */
  p2pAudio: boolean;
  /** How often the segment lists of the playing streams are re-read from Shaka's segment indexes (live). */
  segmentListRefreshMs: number;
}

export const DEFAULT_SHAKA_P2P_OPTIONS: Readonly<ShakaP2POptions> = {
  core: {},
  engine: undefined,
  swarmId: undefined,
  shaka: undefined,
  p2pAudio: true,
  segmentListRefreshMs: 1000,
};

type Check = (v: unknown) => boolean;
const isObject: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const CHECKS: Record<keyof ShakaP2POptions, [Check, string]> = {
  core: [isObject, 'an object of engine settings'],
  engine: [(v) => isObject(v) && typeof (v as EngineLike).loadSegment === 'function', 'an engine'],
  swarmId: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string or undefined'],
  shaka: [
    (v) => isObject(v) && typeof (v as Partial<ShakaNamespace>).net?.NetworkingEngine === 'function',
    'the shaka-player namespace',
  ],
  p2pAudio: [(v) => typeof v === 'boolean', 'a boolean'],
  segmentListRefreshMs: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 100, 'a number ≥ 100'],
};

/** Validated merge over the defaults; throws SettingsError (type 'invalid-settings') with a readable message. */
export function resolveOptions(input: unknown): ShakaP2POptions {
  const out: ShakaP2POptions = { ...DEFAULT_SHAKA_P2P_OPTIONS };
  if (input === undefined) return out;
  if (!isObject(input)) throw new SettingsError('swarmcast/shaka: options must be an object');
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const check = (CHECKS as Record<string, [Check, string] | undefined>)[key];
    if (!check) {
      const known = Object.keys(CHECKS).join(', ');
      throw new SettingsError(
        `swarmcast/shaka: unknown option "${key}" (options: ${known}; engine settings go under "core")`,
      );
    }
    if (value === undefined) continue;
    if (!check[0](value)) throw new SettingsError(`swarmcast/shaka: option "${key}" must be ${check[1]}`);
    (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** The namespace from the options, else the page's global `shaka`; a readable error when there is none. */
export function resolveShaka(options: ShakaP2POptions): ShakaNamespace {
  const found = options.shaka ?? (globalThis as { shaka?: ShakaNamespace }).shaka;
  if (!found || !(found as Partial<ShakaNamespace>).net?.NetworkingEngine) {
    throw new SettingsError(
      'swarmcast/shaka: no shaka-player namespace: pass it as `attach(player, { shaka })` or load shaka as a script',
    );
  }
  return found;
}
