/**
 * Records everything one simulated viewer's engine receives and does, then replays the inputs into a fresh Engine
 * built as an integration builds it. Every call the replayed engine makes must be the recorded one, with the
 * same arguments (it gets the recorded answer), and its scheduler actions must match. That proves the simulator
 * drives the product's engine only through its public API and its ports: its figures are the engine's decisions.
 *
 * The boundary is a membrane: objects of the outside world (clock, transport, swarm, peers, storage, transfers)
 * are recorded as the engine calls them ("out" entries); objects of the engine's side handed outwards (transfer
 * sinks, the transport context, timer callbacks) are recorded as the outside calls them ("in" entries), as are the
 * viewer's own calls on the engine's API. A "drain" entry marks where the simulation let microtasks run.
 */
import { Engine, type EnginePlatform } from '../../core/engine.js';
import { SwarmcastError } from '../../core/errors.js';
import type { TraceEvent } from '../../core/scheduler/loop.js';
import type { EngineSettings } from '../../core/settings.js';
import type { EngineTap } from '../../bench/sim/world.js';
import { ZERO_BYTES } from '../../bench/sim/storage.js';

type Encoded =
  | null
  | boolean
  | number
  | string
  | { undef: true }
  | { ref: number }
  | { fn: number }
  | { bytes: [number, number] }
  | { arr: Encoded[] }
  | { map: [Encoded, Encoded][] }
  | { obj: Record<string, Encoded> }
  /** `now`: it settled within the event that created it (the replay hands out a settled promise). */
  | { promise: number; now?: { ok: boolean; value: Encoded } }
  | { error: [string, string] };

type Entry =
  | { kind: 'out'; target: number; op: string; args: Encoded[]; result: Encoded }
  /** `depth`: how many of the engine's calls to the outside were under way (1: the outside called back while
   * handling one). */
  | { kind: 'in'; target: number; op: string; args: Encoded[]; depth: number }
  /** A promise the outside returned settled (the engine's continuations run after it). */
  | { kind: 'settle'; promise: number; ok: boolean; value: Encoded }
  | { kind: 'drain' };

/** Object id 0 is the engine's API; outside objects and inside callbacks get ids as they cross. */
const API = 0;

export class EngineTape implements EngineTap {
  readonly entries: Entry[] = [];
  readonly actions: TraceEvent[] = [];
  /** Ids of the objects the engine is built with (the replay builds its engine with stand-ins for them). */
  readonly roots = { storage: -1, clock: -1, transport: -1, context: -1 };
  private readonly ids = new WeakMap<object, number>();
  /** Membrane proxy → the object behind it (ids belong to the objects, not to their proxies). */
  private readonly rawOf = new WeakMap<object, object>();
  private nextId = 1;
  private nextPromise = 1;
  /** Counts the simulation's events: a promise settled in its creation's event is replayed as already settled. */
  private epoch = 0;
  private sinceDrain = 0;
  private depth = 0;

  // ---- EngineTap (the simulator's side) ----

  platform(
    platform: Partial<EnginePlatform>,
    settings: EngineSettings,
  ): { platform: Partial<EnginePlatform>; settings: EngineSettings } {
    const create = platform.createTransport;
    if (!platform.clock || !create || !settings.storage)
      throw new Error('sim-tape: expects a clock, a transport, a storage');
    this.roots.storage = this.idOf(settings.storage);
    this.roots.clock = this.idOf(platform.clock);
    return {
      settings: { ...settings, storage: this.outside(settings.storage) },
      platform: {
        ...platform,
        clock: this.outside(platform.clock),
        createTransport: (ctx) => {
          this.roots.context = this.idOf(ctx);
          const transport = create(this.inside(ctx));
          this.roots.transport = this.idOf(transport);
          return this.outside(transport);
        },
        trace: (e) => {
          this.actions.push(e);
          platform.trace?.(e);
        },
      },
    };
  }

  engine(engine: Engine): Engine {
    return new Proxy(engine, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || prop === 'on' || prop === 'off' || prop === 'once') return value;
        return (...args: unknown[]) => {
          this.record({
            kind: 'in',
            target: API,
            op: String(prop),
            args: args.map((a) => this.encode(a, 'in')),
            depth: this.depth,
          });
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  afterEvent(): void {
    this.epoch++;
    if (this.sinceDrain === 0) return;
    this.entries.push({ kind: 'drain' });
    this.sinceDrain = 0;
  }

  // ---- the membrane ----

  private record(e: Entry): void {
    this.entries.push(e);
    this.sinceDrain++;
  }

  private idOf(object: object): number {
    const o = this.rawOf.get(object) ?? object;
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }

  /** An outside object as the engine sees it: every method call and property read is recorded. */
  private outside<T extends object>(o: T): T {
    const target = this.idOf(o);
    const proxy = new Proxy(o, {
      get: (obj, prop) => {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof prop === 'symbol') return value;
        if (typeof value !== 'function') {
          const entry: Entry = { kind: 'out', target, op: `.${prop}`, args: [], result: null };
          this.record(entry);
          entry.result = this.encode(value, 'out');
          return value;
        }
        return (...args: unknown[]) => {
          const entry: Entry = {
            kind: 'out',
            target,
            op: prop,
            args: args.map((a) => this.encode(a, 'out')),
            result: null,
          };
          this.record(entry);
          this.depth++;
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(
              obj,
              args.map((a) => this.wrapInside(a)),
            );
          } finally {
            this.depth--;
          }
          entry.result = this.encode(result, 'out');
          return this.wrapOutside(result);
        };
      },
    });
    this.rawOf.set(proxy, o);
    return proxy;
  }

  /**
   * An engine-side object handed outwards: the outside's calls into it are recorded as inputs. Nested objects
   * (the context's `events`, `store`) are named by their path from the object that crossed (`events.peerUpdate`).
   */
  private inside<T extends object>(o: T, target = this.idOf(o), path = ''): T {
    if (typeof o === 'function') {
      return ((...args: unknown[]) => {
        this.record({
          kind: 'in',
          target,
          op: `${path}()`,
          args: args.map((a) => this.encode(a, 'in')),
          depth: this.depth,
        });
        return (o as (...a: unknown[]) => unknown)(...args);
      }) as unknown as T;
    }
    return new Proxy(o, {
      get: (obj, prop) => {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof prop === 'symbol') return value;
        if (typeof value === 'object' && value !== null && !isData(value))
          return this.inside(value, target, `${path}${prop}.`);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.record({
            kind: 'in',
            target,
            op: `${path}${prop}`,
            args: args.map((a) => this.encode(a, 'in')),
            depth: this.depth,
          });
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  }

  /** An argument the engine passes out: the outside's own objects go back unwrapped, the engine's get a membrane. */
  private wrapInside(a: unknown): unknown {
    if (typeof a === 'object' && a !== null && this.rawOf.has(a)) return this.rawOf.get(a);
    return typeof a === 'function' || (typeof a === 'object' && a !== null && !isData(a)) ? this.inside(a) : a;
  }

  private wrapOutside(r: unknown): unknown {
    if (r instanceof Promise) return r;
    if (Array.isArray(r)) return r.map((x) => this.wrapOutside(x));
    if (r instanceof Map) return new Map([...r].map(([k, v]) => [k, this.wrapOutside(v)]));
    return typeof r === 'object' && r !== null && !isData(r) ? this.outside(r) : r;
  }

  encode(v: unknown, side: 'in' | 'out'): Encoded {
    if (v === undefined) return { undef: true };
    if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'function') return { fn: this.idOf(v) };
    if (v instanceof Uint8Array) {
      if (v.buffer !== ZERO_BYTES.buffer) throw new Error('sim-tape: bytes that are not a view of ZERO_BYTES');
      return { bytes: [v.byteOffset, v.byteLength] };
    }
    if (v instanceof SwarmcastError) return { error: [v.type, v.message] };
    if (Array.isArray(v)) return { arr: v.map((x) => this.encode(x, side)) };
    if (v instanceof Map) return { map: [...v].map(([k, x]) => [this.encode(k, side), this.encode(x, side)]) };
    if (v instanceof Promise) {
      // Its settling is an input of its own: the replay settles the promise at the same place.
      const slot: { promise: number; now?: { ok: boolean; value: Encoded } } = { promise: this.nextPromise++ };
      const epoch = this.epoch;
      const settle = (ok: boolean, value: Encoded): void => {
        if (this.epoch === epoch) slot.now = { ok, value };
        else this.record({ kind: 'settle', promise: slot.promise, ok, value });
      };
      v.then(
        (x: unknown) => settle(true, this.encode(x, side)),
        () => settle(false, null),
      );
      return slot;
    }
    if (typeof v === 'object' && isData(v)) {
      const out: Record<string, Encoded> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.encode(x, side);
      return { obj: out };
    }
    return { ref: this.idOf(v) };
  }
}

/** Plain data (requests, playback states, segment descriptors, storage metas), compared by value. */
function isData(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => typeof x !== 'function');
}

export { replayTape } from './sim-tape-replay.js';
export type { Entry as TapeEntry, Encoded as TapeValue };
export const TAPE_API_ID = API;
export { Engine };
