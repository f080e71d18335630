import { DEFAULT_SETTINGS, mergeSettings, type EngineSettings } from '../../core/settings.js';

/**
 * An engine setting given on a bench's command line (`--set key=value`), typed like its default: only number and
 * boolean settings make sense there. Unknown keys get the engine's own "unknown setting … did you mean" message.
 */
export function settingValue(key: string, raw: string): number | boolean {
  if (!(key in DEFAULT_SETTINGS)) mergeSettings({ [key]: 0 });
  const kind = typeof DEFAULT_SETTINGS[key as keyof EngineSettings];
  if (kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new Error(`--set ${key}: expected true or false, got "${raw}"`);
    return raw === 'true';
  }
  if (kind !== 'number') throw new Error(`--set ${key}: only number and boolean settings can be set here`);
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`--set ${key}: expected a number, got "${raw}"`);
  return n;
}

/** `key=value` of a repeatable flag such as `--set`. */
export function splitPair(flag: string, pair: string): [string, string] {
  const at = pair.indexOf('=');
  if (at <= 0) throw new Error(`${flag} expects key=value, got "${pair}"`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** The `--set key=value` pairs of a bench's command line, checked one by one and together by the engine's validator. */
export function settingOverrides(pairs: readonly string[]): {
  overrides: Record<string, number | boolean>;
  settings: EngineSettings;
} {
  const overrides: Record<string, number | boolean> = {};
  for (const pair of pairs) {
    const [key, raw] = splitPair('--set', pair);
    overrides[key] = settingValue(key, raw);
  }
  return { overrides, settings: mergeSettings(overrides) };
}
