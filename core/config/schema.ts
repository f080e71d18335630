/**
 * One schema per config: each key's type, range or allowed values, default, and whether it may change at runtime,
 * written once. Defaults, validation (with a readable message naming the key and what is allowed), the runtime
 * key list and the README tables all come from a schema. The engine's settings and every integration's and
 * plugin's options use it.
 */
import { SettingsError } from './error.js';
import { suggest } from './suggest.js';

export { SettingsError };

type Kind =
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; max: number; integer: boolean }
  | { kind: 'string'; values: readonly string[] | undefined; optional: boolean }
  | { kind: 'strings'; item: (v: string) => boolean; itemDoc: string }
  | { kind: 'object'; optional: boolean }
  | { kind: 'function'; optional: boolean }
  | { kind: 'custom'; check: (v: unknown) => boolean; doc: string };

/** One key: how to check a value, its default, and whether `applySettings` may change it. */
export interface Spec<T> {
  readonly type: Kind;
  /** The default, or a function computing it where it depends on the device. */
  readonly default: T | (() => T);
  readonly runtime: boolean;
}

interface Common {
  /** May be changed at runtime (engine.applySettings and the integrations' equivalents). */
  runtime?: boolean;
}

/** Spec builders. `T` is the key's TypeScript type; the builder fixes how a value is checked. */
export const spec = {
  boolean: (def: boolean, o: Common = {}): Spec<boolean> => ({
    type: { kind: 'boolean' },
    default: def,
    runtime: !!o.runtime,
  }),
  /** A finite number in [min, max]. */
  number: (def: number | (() => number), o: Common & { min: number; max?: number }): Spec<number> => ({
    type: { kind: 'number', min: o.min, max: o.max ?? Infinity, integer: false },
    default: def,
    runtime: !!o.runtime,
  }),
  /** A whole number in [min, max]. */
  integer: (def: number | (() => number), o: Common & { min: number; max?: number }): Spec<number> => ({
    type: { kind: 'number', min: o.min, max: o.max ?? Number.MAX_SAFE_INTEGER, integer: true },
    default: def,
    runtime: !!o.runtime,
  }),
  /** One of `values`. */
  oneOf: <V extends string>(def: V, values: readonly V[], o: Common = {}): Spec<V> => ({
    type: { kind: 'string', values, optional: false },
    default: def,
    runtime: !!o.runtime,
  }),
  /** A non-empty string, or undefined. */
  optionalString: (o: Common = {}): Spec<string | undefined> => ({
    type: { kind: 'string', values: undefined, optional: true },
    default: undefined,
    runtime: !!o.runtime,
  }),
  /** An array of strings each passing `item` (described by `itemDoc`). */
  strings: (def: string[], item: (v: string) => boolean, itemDoc: string, o: Common = {}): Spec<string[]> => ({
    type: { kind: 'strings', item, itemDoc },
    default: def,
    runtime: !!o.runtime,
  }),
  object: <T extends object>(def: T, o: Common = {}): Spec<T> => ({
    type: { kind: 'object', optional: false },
    default: def,
    runtime: !!o.runtime,
  }),
  optionalFunction: <T>(o: Common = {}): Spec<T | undefined> => ({
    type: { kind: 'function', optional: true },
    default: undefined,
    runtime: !!o.runtime,
  }),
  /** Anything else: `check` decides, `doc` says what is expected ("an engine", "a SegmentStorage…"). */
  custom: <T>(def: T, check: (v: unknown) => boolean, doc: string, o: Common = {}): Spec<T> => ({
    type: { kind: 'custom', check, doc },
    default: def,
    runtime: !!o.runtime,
  }),
};

/** The config type a schema describes. */
export type ConfigOf<S> = { -readonly [K in keyof S]: S[K] extends Spec<infer T> ? T : never };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fmt(n: number): string {
  return n === Number.MAX_SAFE_INTEGER || n === Infinity ? '∞' : String(n);
}

/** What a key accepts, in words (for errors and README tables). */
export function describeSpec(s: Spec<unknown>): string {
  const t = s.type;
  switch (t.kind) {
    case 'boolean':
      return 'a boolean';
    case 'number': {
      const what = t.integer ? 'an integer' : 'a number';
      return t.max === Infinity || t.max === Number.MAX_SAFE_INTEGER
        ? `${what} ≥ ${t.min}`
        : `${what} from ${t.min} to ${fmt(t.max)}`;
    }
    case 'string':
      if (t.values) return `one of ${t.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return t.optional ? 'a non-empty string or undefined' : 'a non-empty string';
    case 'strings':
      return `an array of ${t.itemDoc}`;
    case 'object':
      return t.optional ? 'an object or undefined' : 'an object';
    case 'function':
      return t.optional ? 'a function or undefined' : 'a function';
    case 'custom':
      return t.doc;
  }
}

function valid(s: Spec<unknown>, v: unknown): boolean {
  const t = s.type;
  switch (t.kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'number':
      return (
        typeof v === 'number' && Number.isFinite(v) && v >= t.min && v <= t.max && (!t.integer || Number.isInteger(v))
      );
    case 'string':
      if (v === undefined) return t.optional;
      return typeof v === 'string' && v.length > 0 && (!t.values || t.values.includes(v));
    case 'strings':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && t.item(x));
    case 'object':
      return (t.optional && v === undefined) || isPlainObject(v);
    case 'function':
      return (t.optional && v === undefined) || typeof v === 'function';
    case 'custom':
      return t.check(v);
  }
}

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  try {
    return JSON.stringify(v); // never called with undefined (it resets a key)
  } catch {
    return String(v);
  }
}

export interface SchemaOptions {
  /** Prefix of every message: `swarmcast`, `swarmcast/hlsjs`… */
  name: string;
  /** What a key is called in messages: `setting` (engine) or `option` (integrations). */
  noun: 'setting' | 'option';
  /** Keys another library uses for the same thing, with the hint to give (`announceTrackers` → use trackerUrls). */
  foreignKeys?: Readonly<Record<string, string>>;
  /** Added to the unknown-key message (e.g. "engine settings go under core"). */
  unknownHint?: string;
}

/** A config schema: defaults, a validated merge, the runtime keys. */
export class Schema<S extends Record<string, Spec<unknown>>> {
  readonly keys: readonly (keyof S & string)[];
  readonly runtimeKeys: readonly (keyof S & string)[];

  constructor(
    readonly specs: S,
    readonly options: SchemaOptions,
  ) {
    this.keys = Object.keys(specs);
    this.runtimeKeys = this.keys.filter((k) => specs[k]?.runtime);
  }

  defaultOf<K extends keyof S>(key: K): ConfigOf<S>[K] {
    const d = this.specs[key]?.default;
    return (
      typeof d === 'function' && this.specs[key]?.type.kind !== 'function' ? (d as () => unknown)() : d
    ) as ConfigOf<S>[K];
  }

  /** A fresh object of defaults. */
  defaults(): ConfigOf<S> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.defaultOf(k);
    return out as ConfigOf<S>;
  }

  /**
   * Validated merge of `partial` over `base` (default: the defaults). Unknown keys, keys outside `allowed`, and
   * values of the wrong type or out of range throw a SettingsError naming the key and what it accepts.
   * `undefined` resets a key to its default.
   */
  merge(partial: unknown, base?: Readonly<ConfigOf<S>>, allowed: readonly string[] = this.keys): ConfigOf<S> {
    const { name, noun } = this.options;
    const out = { ...(base ?? this.defaults()) } as Record<string, unknown>;
    if (partial === undefined) return out as ConfigOf<S>;
    if (!isPlainObject(partial)) throw new SettingsError(`${name}: ${noun}s must be an object, got ${show(partial)}`);
    for (const [key, value] of Object.entries(partial)) {
      const s = this.specs[key];
      if (!s || !allowed.includes(key)) throw new SettingsError(this.unknown(key, s !== undefined, allowed));
      if (value === undefined) {
        out[key] = this.defaultOf(key);
        continue;
      }
      if (!valid(s, value))
        throw new SettingsError(`${name}: ${noun} "${key}" must be ${describeSpec(s)}, got ${show(value)}`);
      out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
    return out as ConfigOf<S>;
  }

  private unknown(key: string, known: boolean, allowed: readonly string[]): string {
    const { name, noun, foreignKeys, unknownHint } = this.options;
    if (known) return `${name}: ${noun} "${key}" cannot be changed at runtime (allowed: ${allowed.join(', ')})`;
    const foreign = foreignKeys?.[key];
    if (foreign) return `${name}: "${key}" is ${foreign}`;
    const hint = suggest(key, allowed);
    return `${name}: unknown ${noun} "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}${unknownHint ? ` (${unknownHint})` : ''}`;
  }
}
