/**
 * The options every integration takes (`core`, `engine`, `swarmId`, `p2pAudio`) as schema specs, and the resolver
 * each integration and plugin uses for its own schema: unknown keys and bad values are rejected with a readable
 * message, and the engine settings under `core` are checked at once by the engine's own schema.
 */
import type { EngineSettings } from '../../core/index.js';
import { Schema, mergeSettings, spec, type ConfigOf, type Spec } from '../../core/internal.js';
import type { EngineLike } from './playback.js';

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

export const COMMON_OPTION_SPECS = {
  core: spec.custom<Partial<EngineSettings>>({}, isObject, 'an object of engine settings'),
  engine: spec.custom<EngineLike | undefined>(
    undefined,
    (v) => isObject(v) && typeof (v as EngineLike).loadSegment === 'function',
    'an engine',
  ),
  swarmId: spec.optionalString(),
  p2pAudio: spec.boolean(true),
};

/** One-line docs of the common options (README tables). */
export const COMMON_OPTION_DOCS: Record<keyof typeof COMMON_OPTION_SPECS, string> = {
  core: 'engine settings (see the settings table); validated when the player is created',
  engine:
    'use this engine instead of creating one (several players sharing one engine); `core` is then ignored and `destroy()` leaves it alive',
  swarmId:
    'swarm id shared by every viewer of the content (default: the manifest URL without scheme and query); set it when viewers get different manifest URLs',
  p2pAudio: 'also load alternate / separate audio renditions through the engine',
};

export type CommonOptions = ConfigOf<typeof COMMON_OPTION_SPECS>;

/** The schema of an integration's or plugin's options: the common ones plus its own. */
export function optionsSchema<S extends Record<string, Spec<unknown>>>(
  name: string,
  own: S,
): Schema<typeof COMMON_OPTION_SPECS & S> {
  return new Schema(
    { ...COMMON_OPTION_SPECS, ...own },
    { name, noun: 'option', unknownHint: 'engine settings go under "core"' },
  );
}

/** Validated options over the defaults; the engine settings are checked now unless an engine is passed in. */
export function resolveOptions<S extends Record<string, Spec<unknown>>>(
  schema: Schema<S>,
  input: unknown,
): ConfigOf<S> {
  const out = schema.merge(input);
  const o = out as unknown as CommonOptions;
  if (!o.engine) mergeSettings(o.core);
  return out;
}
