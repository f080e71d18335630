/** Options of `attach(player, options)`: the common integration options plus Shaka's own, one schema. */
import { SettingsError } from '../../core/index.js';
import { spec, type ConfigOf } from '../../core/internal.js';
import { COMMON_OPTION_DOCS, optionsSchema, resolveOptions as resolveWith } from '../common/options.js';
import type { ShakaNamespace } from './types.js';

const isShaka = (v: unknown): boolean =>
  v === undefined ||
  (typeof v === 'object' && v !== null && typeof (v as Partial<ShakaNamespace>).net?.NetworkingEngine === 'function');

export const SHAKA_OPTIONS_SCHEMA = optionsSchema('swarmcast/shaka', {
  shaka: spec.custom<ShakaNamespace | undefined>(undefined, isShaka, 'the shaka-player namespace'),
  segmentListRefreshMs: spec.integer(1000, { min: 100, max: 60000 }),
});
export type ShakaP2POptions = ConfigOf<typeof SHAKA_OPTIONS_SCHEMA.specs>;
export const DEFAULT_SHAKA_P2P_OPTIONS: Readonly<ShakaP2POptions> = SHAKA_OPTIONS_SCHEMA.defaults();

export const SHAKA_OPTION_DOCS: Record<keyof ShakaP2POptions, string> = {
  ...COMMON_OPTION_DOCS,
  shaka:
    "the shaka-player namespace the player comes from (default: the page's global `shaka`); it must be the copy that created the player",
  segmentListRefreshMs: 'how often the playing streams’ segment lists are re-read from Shaka’s segment indexes (live)',
};

/** Validated merge over the defaults; throws a SettingsError (type 'invalid-settings') with a readable message. */
export function resolveOptions(input: unknown): ShakaP2POptions {
  return resolveWith(SHAKA_OPTIONS_SCHEMA, input);
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
