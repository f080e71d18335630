/**
 * The replay side of sim-tape.ts: a fresh Engine, built as an integration builds it, whose outside world is
 * stand-ins that answer from the tape. Every call the engine makes must be the next one on the tape (same target,
 * same operation, same arguments); every input is fed back at its place; microtasks run where the simulation let
 * them run. Returns the scheduler actions the replayed engine carried out.
 */
import { isDeepStrictEqual } from 'node:util';
import { Engine } from '../../core/engine.js';
import { SwarmcastError, type SwarmcastErrorType } from '../../core/errors.js';
import type { TraceEvent } from '../../core/scheduler/loop.js';
import type { EngineSettings } from '../../core/settings.js';
import { ZERO_BYTES } from '../../bench/sim/storage.js';
import type { EngineTape, TapeEntry, TapeValue } from './sim-tape.js';

const drain = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TapeMismatch extends Error {}

export async function replayTape(tape: EngineTape, settings: EngineSettings): Promise<TraceEvent[]> {
  // A mismatch found while the engine runs a microtask (a tick) would be uncaught: capture it, and report it here.
  let failure: unknown;
  process.setUncaughtExceptionCaptureCallback((e) => (failure ??= e));
  try {
    return await replay(tape, settings, () => failure);
  } finally {
    process.setUncaughtExceptionCaptureCallback(null);
  }
}

async function replay(tape: EngineTape, settings: EngineSettings, failed: () => unknown): Promise<TraceEvent[]> {
  const entries = tape.entries;
  let cursor = 0;
  /** The replayed engine's own objects handed outwards, and stand-ins for outside objects, by recorded id. */
  const byId = new Map<number, unknown>();
  const standIns = new Map<number, object>();
  /** Promises handed to the engine in place of the outside's, settled where the tape says they settled. */
  const pending = new Map<number, { resolve: (x: unknown) => void; reject: (e: unknown) => void }>();
  const actions: TraceEvent[] = [];

  const where = (): string => `tape entry ${cursor} of ${entries.length}`;

  const decode = (v: TapeValue): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if ('undef' in v) return undefined;
    if ('bytes' in v) return ZERO_BYTES.subarray(v.bytes[0], v.bytes[0] + v.bytes[1]);
    if ('arr' in v) return v.arr.map(decode);
    if ('map' in v) return new Map(v.map.map(([k, x]) => [decode(k), decode(x)]));
    if ('obj' in v) return Object.fromEntries(Object.entries(v.obj).map(([k, x]) => [k, decode(x)]));
    if ('promise' in v) {
      if (v.now)
        return v.now.ok ? Promise.resolve(decode(v.now.value)) : Promise.reject(new Error('recorded rejection'));
      let settle: { resolve: (x: unknown) => void; reject: (e: unknown) => void } | undefined;
      const p = new Promise((resolve, reject) => (settle = { resolve, reject }));
      if (settle) pending.set(v.promise, settle);
      return p;
    }
    if ('ref' in v) return byId.get(v.ref) ?? standIn(v.ref);
    if ('error' in v) return new SwarmcastError(v.error[0] as SwarmcastErrorType, v.error[1]);
    throw new TapeMismatch(`${where()}: a function where a value was recorded`);
  };

  /** Whether the replayed argument `a` is what was recorded as `e`; engine-side objects are bound at first sight. */
  const matches = (a: unknown, e: TapeValue): boolean => {
    if (e !== null && typeof e === 'object') {
      if ('ref' in e || 'fn' in e) {
        const id = 'ref' in e ? e.ref : e.fn;
        const known = byId.get(id) ?? standIns.get(id);
        if (known === undefined) {
          byId.set(id, a);
          return true;
        }
        return known === a;
      }
      if ('bytes' in e)
        return (
          a instanceof Uint8Array &&
          a.buffer === ZERO_BYTES.buffer &&
          a.byteOffset === e.bytes[0] &&
          a.byteLength === e.bytes[1]
        );
      if ('undef' in e) return a === undefined;
      if ('arr' in e) return Array.isArray(a) && a.length === e.arr.length && e.arr.every((x, i) => matches(a[i], x));
      if ('obj' in e) {
        if (typeof a !== 'object' || a === null) return false;
        const keys = Object.keys(e.obj);
        return (
          isDeepStrictEqual(Object.keys(a).sort(), keys.sort()) &&
          keys.every((k) => matches((a as Record<string, unknown>)[k], e.obj[k] ?? null))
        );
      }
      return isDeepStrictEqual(decode(e), a);
    }
    return Object.is(a, e);
  };

  /** The engine's calls to the outside under way (inputs recorded at a depth are fed back at that depth). */
  let depth = 0;

  /** The next entry must be this call of the engine's: it gets the recorded answer. */
  const out = (target: number, op: string, args: unknown[]): unknown => {
    const e = entries[cursor];
    if (e?.kind !== 'out' || e.target !== target || e.op !== op || e.args.length !== args.length)
      throw new TapeMismatch(
        `${where()}: the engine called #${target}.${op} but the simulation recorded ${JSON.stringify(e)}`,
      );
    if (!e.args.every((x, i) => matches(args[i], x)))
      throw new TapeMismatch(
        `${where()}: #${target}.${op} with other arguments than recorded: ${JSON.stringify(e.args)}`,
      );
    cursor++;
    // What the outside called back while handling this call happens now, before the call returns.
    depth++;
    try {
      for (let next = entries[cursor]; next?.kind === 'in' && next.depth === depth; next = entries[cursor]) {
        cursor++;
        call(next);
      }
    } finally {
      depth--;
    }
    return decode(e.result);
  };

  function standIn(id: number): object {
    let s = standIns.get(id);
    if (s) return s;
    s = new Proxy(
      {},
      {
        get: (_t, prop) => {
          // Promise resolution probes `then`: a stand-in is never a thenable.
          if (typeof prop === 'symbol' || prop === 'then') return undefined;
          const next = entries[cursor];
          if (next?.kind === 'out' && next.target === id && next.op === `.${prop}`) return out(id, `.${prop}`, []);
          return (...args: unknown[]) => out(id, prop, args);
        },
      },
    );
    standIns.set(id, s);
    return s;
  }

  const { roots } = tape;
  const engine = new Engine(
    { ...settings, storage: standIn(roots.storage) as EngineSettings['storage'] },
    {
      clock: standIn(roots.clock) as never,
      createTransport: (ctx) => {
        byId.set(roots.context, ctx);
        return standIn(roots.transport) as never;
      },
      trace: (e) => actions.push(e),
    },
  );
  byId.set(0, engine);

  const call = (entry: Extract<TapeEntry, { kind: 'in' }>): void => {
    let target: unknown = byId.get(entry.target);
    if (target === undefined)
      throw new TapeMismatch(`${where()}: input to #${entry.target}, never handed out by the engine`);
    const path = entry.op.split('.');
    const last = path.pop() ?? '';
    for (const p of path) target = (target as Record<string, unknown>)[p];
    const args = entry.args.map(decode);
    if (last === '()') {
      (target as (...a: unknown[]) => unknown)(...args);
      return;
    }
    const result = (target as Record<string, (...a: unknown[]) => unknown>)[last]?.(...args);
    if (result instanceof Promise) result.catch(() => undefined);
  };

  while (cursor < entries.length) {
    const e = entries[cursor];
    if (!e) break;
    if (failed() !== undefined) throw failed();
    if (e.kind === 'drain') {
      cursor++;
      await drain();
    } else if (e.kind === 'settle') {
      cursor++;
      const settle = pending.get(e.promise);
      pending.delete(e.promise);
      if (!settle) throw new TapeMismatch(`${where()}: promise ${e.promise} settled, never handed to the engine`);
      if (e.ok) settle.resolve(decode(e.value));
      else settle.reject(new Error('recorded rejection'));
    } else if (e.kind === 'in') {
      cursor++;
      call(e);
    } else {
      // A call the engine made from a microtask (a promise continuation, a queued tick): let them run.
      const at = cursor;
      await drain();
      if (failed() !== undefined) throw failed();
      if (cursor === at)
        throw new TapeMismatch(`${where()}: the simulation recorded ${JSON.stringify(e)}, the engine did not make it`);
    }
  }
  await drain();
  if (failed() !== undefined) throw failed();
  return actions;
}
