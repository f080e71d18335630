import { SwarmcastError } from './errors.js';
import { DEFAULT_SETTINGS, type EngineSettings } from './settings.js';

export class SettingsError extends SwarmcastError {
  constructor(message: string) {
    super('invalid-settings', message);
  }
}

type Kind = 'boolean' | 'number' | 'string[]' | 'object' | 'function' | 'storage';
const SPECIAL: Partial<Record<keyof EngineSettings, Kind>> = {
  storage: 'storage',
  httpRequestSetup: 'function',
  validateSegment: 'function',
};

function kindOf(key: keyof EngineSettings): Kind {
  const special = SPECIAL[key];
  if (special) return special;
  const v = DEFAULT_SETTINGS[key];
  if (Array.isArray(v)) return 'string[]';
  return typeof v as 'boolean' | 'number' | 'object';
}

const DESCRIBE: Record<Kind, string> = {
  boolean: 'a boolean',
  number: 'a number ≥ 0',
  'string[]': 'an array of strings',
  object: 'an object',
  function: 'a function or undefined',
  storage: 'a SegmentStorage (object with get/put/has/delete/list/usage) or undefined',
};

function isValid(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return typeof v === 'number' && v >= 0 && !Number.isNaN(v);
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'function':
      return v === undefined || typeof v === 'function';
    case 'storage':
      return (
        v === undefined ||
        (typeof v === 'object' &&
          v !== null &&
          ['get', 'put', 'has', 'delete', 'list', 'usage'].every(
            (m) => typeof (v as Record<string, unknown>)[m] === 'function',
          ))
      );
  }
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(
        cur + 1,
        (row[j - 1] ?? 0) + 1,
        prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** Closest known key within a small edit distance, for the "did you mean" hint. */
function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/**
 * Validated merge: unknown keys and wrong types throw SettingsError with a readable message.
 * `undefined` values reset a key to its default. `allowed` restricts which keys may appear (runtime subset).
 */
export function mergeSettings(
  partial: Partial<EngineSettings> | undefined,
  base: Readonly<EngineSettings> = DEFAULT_SETTINGS,
  allowed: readonly (keyof EngineSettings)[] = Object.keys(DEFAULT_SETTINGS) as (keyof EngineSettings)[],
): EngineSettings {
  const out: EngineSettings = { ...base };
  if (partial === undefined) return out;
  if (typeof partial !== 'object' || (partial as unknown) === null)
    throw new SettingsError('swarmcast: settings must be an object');
  for (const [key, value] of Object.entries(partial)) {
    if (!(allowed as readonly string[]).includes(key)) {
      const known = key in DEFAULT_SETTINGS;
      const hint = known ? undefined : suggest(key, allowed);
      throw new SettingsError(
        known
          ? `swarmcast: setting "${key}" cannot be changed at runtime (allowed: ${allowed.join(', ')})`
          : `swarmcast: unknown setting "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      );
    }
    const k = key as keyof EngineSettings;
    if ((value as unknown) === undefined) {
      (out as unknown as Record<string, unknown>)[k] = DEFAULT_SETTINGS[k];
      continue;
    }
    const kind = kindOf(k);
    if (!isValid(kind, value)) {
      throw new SettingsError(`swarmcast: setting "${key}" must be ${DESCRIBE[kind]}, got ${show(value)}`);
    }
    (out as unknown as Record<string, unknown>)[k] = kind === 'string[]' ? [...(value as string[])] : value;
  }
  return out;
}
