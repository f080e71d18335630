/** Integration options: the argument of `new VhsP2P(videojs, {...})` (and the engine part of `player.p2p({...})`). */
import { SettingsError, type EngineSettings } from '../../core/index.js';
import type { EngineLike } from './types.js';

export interface VhsP2POptions {
  /** Engine settings (tracker URLs, windows, upload…), validated by core: unknown keys are rejected there. */
  core: Partial<EngineSettings>;
  /** Use this engine instead of creating one (tests, sharing). `core` is then ignored and `destroy()` keeps it. */
  engine: EngineLike | undefined;
  /**
   * Swarm id shared by every viewer of the content. Default: the manifest URL without scheme and query. Set it
   * when viewers get different manifest URLs (tokens, per-viewer CDN hosts).
   */
  swarmId: string | undefined;
  /** Also serve alternate / separate audio renditions through the engine. */
  p2pAudio: boolean;
}

export const DEFAULT_VHS_P2P_OPTIONS: Readonly<VhsP2POptions> = {
  core: {},
  engine: undefined,
  swarmId: undefined,
  p2pAudio: true,
};

type Check = [(v: unknown) => boolean, string];
export const VHS_OPTION_CHECKS: Record<keyof VhsP2POptions, Check> = {
  core: [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object of engine settings'],
  engine: [
    (v) => typeof v === 'object' && v !== null && typeof (v as EngineLike).loadSegment === 'function',
    'an engine',
  ],
  swarmId: [(v) => v === undefined || (typeof v === 'string' && v.length > 0), 'a non-empty string or undefined'],
  p2pAudio: [(v) => typeof v === 'boolean', 'a boolean'],
};

/**
 * Validated merge of `input` over `defaults` using `checks`; throws SettingsError (type 'invalid-settings') with
 * a readable message naming the option. Shared by the Video.js plugin, which adds its own keys.
 */
export function validateOptions<T extends object>(
  prefix: string,
  input: unknown,
  defaults: Readonly<T>,
  checks: Record<keyof T, Check>,
): T {
  const out = { ...defaults } as T;
  if (input === undefined) return out;
  if (typeof input !== 'object' || input === null) throw new SettingsError(`${prefix}: options must be an object`);
  for (const [key, value] of Object.entries(input)) {
    const check = (checks as Record<string, Check | undefined>)[key];
    if (!check) {
      const known = Object.keys(checks).join(', ');
      throw new SettingsError(
        `${prefix}: unknown option "${key}" (options: ${known}; engine settings go under "core")`,
      );
    }
    if (value === undefined) continue;
    if (!check[0](value)) throw new SettingsError(`${prefix}: option "${key}" must be ${check[1]}`);
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function resolveVhsOptions(input: unknown): VhsP2POptions {
  return validateOptions('swarmcast/vhs', input, DEFAULT_VHS_P2P_OPTIONS, VHS_OPTION_CHECKS);
}
