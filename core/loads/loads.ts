/**
 * The load lifecycle: a player's request joins a download in flight or starts one the scheduler then plans;
 * transfers report bytes and outcomes here; a complete segment is checked, stored, announced and handed to every
 * request waiting for it. What transfers taught (a segment to back off from, a peer to leave alone) is kept here
 * for the scheduler to read.
 */
import type { Clock } from '../clock.js';
import type { EngineEvents } from '../engine-events.js';
import { SwarmcastError } from '../errors.js';
import type { Meter } from '../meter.js';
import { BUSY_PEER_PAUSE_MS, NEARLY_DONE_BYTES } from '../scheduler/plan.js';
import type { PlanReason } from '../scheduler/types.js';
import type { EngineSettings } from '../settings.js';
import type { StoreKeeper } from '../store-keeper.js';
import type { StreamState } from '../streams.js';
import type { SwarmPort, Transport } from '../transport/types.js';
import type { LoadOptions, SegmentDescriptor } from '../types.js';
import { untilAborted } from './abort.js';
import { Bans } from './bans.js';
import { checkSegment, type CheckOutcome } from './check.js';
import { Lessons } from './lessons.js';
import { Load, type Delivery, type LoadHost, type Waiter } from './load.js';

type Emit = <K extends keyof EngineEvents>(event: K, ...args: Parameters<EngineEvents[K]>) => void;

export interface LoadsDeps {
  settings(): Readonly<EngineSettings>;
  clock: Clock;
  transport: Transport;
  store: StoreKeeper;
  meter: Meter;
  emit: Emit;
  /** Something changed that is worth planning again at once. */
  replan(): void;
}

export class Loads implements LoadHost {
  readonly transport: Transport;
  private readonly byKey = new Map<string, Load>();
  /** What transfers taught: segments to back off from, resting peers, swarms whose copies cannot be checked. */
  readonly lessons = new Lessons();
  /** Peers proven to lie, per swarm (see bans.ts). */
  readonly bans: Bans;
  /** When a player first received a segment (see p2pJoinWhenPlayable). */
  firstDeliveredMs: number | undefined;
  private destroyed = false;

  constructor(private readonly d: LoadsDeps) {
    this.transport = d.transport;
    this.bans = new Bans({
      transport: d.transport,
      loads: () => this.byKey.values(),
      evict: (load) => this.evict(load),
      emitBanned: (e) => d.emit('peer-banned', e),
    });
  }

  // ---- what the scheduler reads ----

  all(): IterableIterator<Load> {
    return this.byKey.values();
  }

  /** The load of a segment, if one exists (in flight, parked with partial bytes, or waited for). */
  get(st: StreamState, segmentId: string): Load | undefined {
    return this.byKey.get(this.d.store.key(st.swarmKey, segmentId));
  }

  /** A player request waits with no transfer running for it: news from a peer may let it start now. */
  hasIdleRequest(): boolean {
    for (const l of this.byKey.values()) if (l.waiters.size > 0 && !l.active) return true;
    return false;
  }

  // ---- player requests ----

  /** The player's request: joins a download in flight, serves stored bytes at once, else waits for the plan. */
  async request(st: StreamState, seg: SegmentDescriptor, opts: LoadOptions): Promise<Delivery> {
    const requestStartMs = this.d.clock.now();
    const key = this.d.store.key(st.swarmKey, seg.id);
    if (!this.byKey.has(key)) {
      const cached = await untilAborted(this.d.store.read(st.swarmKey, seg.id), opts.signal);
      if (this.isDestroyed()) throw new SwarmcastError('destroyed', 'engine destroyed');
      if (cached) return this.fromCache(st, seg, cached, requestStartMs, opts);
    }
    return new Promise<Delivery>((resolve, reject) => {
      const load = this.loadFor(st, seg);
      const waiter: Waiter = { opts, requestStartMs, resolve, reject };
      load.waiters.add(waiter);
      opts.signal?.addEventListener('abort', () => this.abandon(load, waiter));
      this.d.replan();
    });
  }

  private fromCache(
    st: StreamState,
    seg: SegmentDescriptor,
    bytes: Uint8Array,
    requestStartMs: number,
    opts: LoadOptions,
  ): Delivery {
    const endMs = this.d.clock.now();
    this.d.meter.fromCache(bytes.byteLength);
    this.firstDeliveredMs ??= endMs;
    opts.onProgress?.(bytes.byteLength, bytes.byteLength);
    const durationMs = endMs - requestStartMs;
    this.d.emit('segment-loaded', {
      streamId: st.id,
      segmentId: seg.id,
      source: 'cache',
      bytes: bytes.byteLength,
      durationMs,
    });
    return { bytes, source: 'cache', peerId: undefined, requestStartMs, firstByteMs: endMs, endMs };
  }

  /** The player aborted: a download nobody else waits for stops (or finishes, if it is nearly done). */
  private abandon(load: Load, waiter: Waiter): void {
    if (!load.waiters.delete(waiter)) return;
    waiter.reject(new SwarmcastError('aborted', 'aborted'));
    this.d.emit('segment-abort', { streamId: load.stream.id, segmentId: load.segment.id });
    if (load.waiters.size > 0 || (load.reason !== 'request' && load.active)) return;
    if (this.nearlyDone(load)) load.reason = 'prefetch';
    else this.drop(load);
  }

  // ---- what the scheduler does ----

  startHttp(st: StreamState, seg: SegmentDescriptor, reason: PlanReason): void {
    this.loadFor(st, seg).startHttp(reason);
    this.d.transport.swarm(st.swarmKey)?.announceLoading(seg.id);
  }

  startPeer(st: StreamState, seg: SegmentDescriptor, swarm: SwarmPort, peerId: string, reason: PlanReason): void {
    this.loadFor(st, seg).startP2P(swarm, peerId, reason);
    // Announced like an HTTP fetch: a neighbour about to fetch it over HTTP waits for our copy instead, so a
    // segment spreads over several hops while the deadline allows.
    swarm.announceLoading(seg.id);
  }

  /** The peer transfer is cut; HTTP Range continues from the byte reached. The peer is told off for it. */
  cutToHttp(st: StreamState, seg: SegmentDescriptor, why: 'stalled' | 'slow'): void {
    const load = this.loadFor(st, seg);
    if (load.peerId)
      this.d.transport.swarm(st.swarmKey)?.penalize(load.peerId, why === 'stalled' ? 'stalled' : 'too-slow');
    load.stop();
    this.startHttp(st, seg, load.waiters.size > 0 ? 'request' : 'urgent');
  }

  cancel(st: StreamState, seg: SegmentDescriptor, why: 'stalled' | 'preempted'): void {
    const load = this.byKey.get(this.d.store.key(st.swarmKey, seg.id));
    if (!load) return;
    if (why === 'stalled') {
      this.lessons.backOff(
        load.stream.swarmKey,
        load.segment.id,
        this.d.clock.now() + this.d.settings().failureBackoffMs,
      );
      if (load.source === 'p2p' && load.peerId) this.d.transport.swarm(st.swarmKey)?.penalize(load.peerId, 'stalled');
    }
    if (load.waiters.size > 0) load.stop();
    else this.park(load);
  }

  /** A live list moved on: speculative downloads of segments that left it are never asked for again. */
  forgetUnlisted(st: StreamState): void {
    for (const load of [...this.byKey.values()])
      if (load.stream === st && !st.segments.has(load.segment.id) && load.waiters.size === 0) this.drop(load);
  }

  /** Parked partial bytes nobody came back for expire like stored segments. */
  expireIdle(nowMs: number): void {
    const ttl = this.d.settings().storageTtlMs;
    for (const l of [...this.byKey.values()])
      if (!l.active && l.waiters.size === 0 && nowMs - l.lastDataMs > ttl) this.drop(l);
  }

  /** Stops everything; pending requests are rejected with `error`. */
  dropAll(error: SwarmcastError): void {
    for (const load of [...this.byKey.values()]) this.drop(load, error);
  }

  destroy(): void {
    this.destroyed = true;
    this.dropAll(new SwarmcastError('destroyed', 'engine destroyed'));
  }

  // ---- LoadHost: what transfers report ----

  httpRangeResume(): boolean {
    return this.d.settings().httpRangeResume;
  }

  now(): number {
    return this.d.clock.now();
  }

  onBytes(load: Load, source: 'http' | 'p2p', bytes: number, peerId: string | undefined): void {
    this.d.meter.downloaded(source, bytes, peerId, load.stream.swarmKey);
    this.d.emit('bytes-downloaded', { source, bytes, ...(peerId ? { peerId } : {}) });
  }

  onFail(load: Load, error: SwarmcastError, peerId: string | undefined): void {
    if (peerId && error.type === 'peer-busy') {
      // The peer serves as many uploads as it will: left alone for a moment, the segment re-planned (another
      // holder, a wait while time is in hand, or HTTP); a download nobody waits for is simply parked.
      this.lessons.rest(peerId, this.d.clock.now() + BUSY_PEER_PAUSE_MS);
      if (load.waiters.size === 0) this.park(load);
      this.d.replan();
      return;
    }
    if (peerId)
      this.d.emit('peer-error', { swarmKey: load.stream.swarmKey, peerId, segmentId: load.segment.id, error });
    if (peerId && (load.waiters.size > 0 || load.reason === 'urgent')) {
      this.startHttp(load.stream, load.segment, load.waiters.size > 0 ? 'request' : 'urgent');
      return;
    }
    this.fail(load, error, true);
  }

  onComplete(load: Load): void {
    const via = load.finishedVia ?? { source: 'http' as const, peerId: undefined };
    if (via.source === 'http') this.d.meter.bandwidth.add(load.sourceBytes, this.d.clock.now() - load.startedMs);
    const s = this.d.settings();
    const { ticket, signal } = load.beginCheck();
    const outcome = checkSegment(load, {
      validate: s.validateSegment,
      integrityOn: s.integrity !== 'off',
      transport: this.d.transport,
      manifestUrl: load.stream.content.manifestUrl,
      hashListUrl: load.stream.content.hashListUrl,
      signal,
    });
    if (outcome instanceof Promise) void outcome.then((o) => this.afterCheck(load, o, ticket));
    else this.afterCheck(load, outcome, ticket);
  }

  // ---- internals ----

  private isDestroyed(): boolean {
    return this.destroyed;
  }

  private loadFor(st: StreamState, seg: SegmentDescriptor): Load {
    const key = this.d.store.key(st.swarmKey, seg.id);
    let load = this.byKey.get(key);
    if (!load) this.byKey.set(key, (load = new Load(this, st, key, seg)));
    return load;
  }

  /**
   * A checked segment is stored, announced and delivered. Refused bytes from peers are never used: their senders
   * are banned when proven wrong, and the segment goes to HTTP.
   */
  private afterCheck(load: Load, { problem, blame, verdict }: CheckOutcome, ticket: number): void {
    const current = this.byKey.get(load.key) === load && load.checking && load.checkTicket === ticket;
    // A check whose bytes were thrown away meanwhile (dropped, or their sender banned) concludes nothing: only
    // what it cost the CDN is counted.
    if (verdict) this.d.meter.checked(verdict, current);
    if (!current) return;
    load.endCheck();
    const st = load.stream;
    if (problem && load.peers.size > 0) {
      if (blame) {
        const culprits = [...load.peers];
        this.d.meter.discarded(load.reset());
        for (const peerId of culprits) this.bans.ban(st.swarmKey, peerId, load.segment.id, problem);
      } else {
        this.d.emit('warning', { message: `swarmcast: peer copy of ${load.segment.url} not used (${problem})` });
        this.lessons.backOff(
          load.stream.swarmKey,
          load.segment.id,
          this.d.clock.now() + this.d.settings().failureBackoffMs,
        );
        // The origin cannot vouch for any peer copy of this content (no list, a list without it, no Range): taking
        // more of them would only waste the senders' upload. HTTP only for a while.
        this.lessons.cannotVerify(st.swarmKey, verdict?.reason, this.d.clock.now());
      }
      this.d.meter.discarded(load.reset());
      if (load.waiters.size > 0) this.startHttp(st, load.segment, 'request');
      else this.byKey.delete(load.key);
      this.d.replan();
      return;
    }
    if (problem) {
      this.fail(load, new SwarmcastError('validation-failed', `${problem}: ${load.segment.url}`));
      return;
    }
    this.deliver(load);
  }

  private deliver(load: Load): void {
    const { segment: seg, stream: st } = load;
    const via = load.finishedVia ?? { source: 'http' as const, peerId: undefined };
    this.byKey.delete(load.key);
    const now = this.d.clock.now();
    const data = load.data();
    this.d.store.put(st.swarmKey, seg, data);
    this.d.transport.swarm(st.swarmKey)?.announceHave(seg.id);
    if (load.waiters.size > 0) this.firstDeliveredMs ??= now;
    for (const w of load.waiters) {
      // An HTTP delivery is timed from its transfer's start: time spent waiting for the swarm first is not the
      // network's, and players that sample bandwidth from this timing must not see it as a slow link.
      const requestStartMs = via.source === 'http' ? Math.max(w.requestStartMs, load.startedMs) : w.requestStartMs;
      const firstByteMs = Math.max(requestStartMs, load.firstByteMs ?? now);
      w.resolve({ bytes: data, source: via.source, peerId: via.peerId, requestStartMs, firstByteMs, endMs: now });
    }
    this.d.emit('segment-loaded', {
      streamId: st.id,
      segmentId: seg.id,
      source: via.source,
      ...(via.peerId ? { peerId: via.peerId } : {}),
      bytes: data.byteLength,
      p2pBytes: load.p2pBytes,
      durationMs: now - load.startedMs,
    });
    this.d.replan();
  }

  /**
   * An HTTP download the player gave up on but that will be done within about a second: finishing it costs the
   * CDN nothing more (the server has mostly sent it already), and the segment is stored and shared instead of wasted.
   */
  private nearlyDone(load: Load): boolean {
    if (load.source !== 'http') return false;
    // Before the response headers the size is unknown, yet a small segment's body is often on the wire already:
    // judge it by its expected size (byte range, else the rendition's bandwidth × duration).
    const seg = load.segment;
    const bandwidth = load.stream.rendition.bandwidth;
    const expected =
      load.totalBytes ??
      (seg.byteRange ? seg.byteRange.end - seg.byteRange.start : undefined) ??
      (bandwidth ? (bandwidth / 8) * seg.durationSec : undefined);
    if (expected === undefined) return false;
    const remaining = expected - load.received;
    const elapsedMs = this.d.clock.now() - load.startedMs;
    const rate = Math.max(
      this.d.meter.bandwidth.estimate() ?? 0,
      elapsedMs > 0 ? (load.sourceBytes * 1000) / elapsedMs : 0,
    );
    return remaining <= NEARLY_DONE_BYTES || (rate > 0 && remaining / rate <= 1);
  }

  /**
   * Stops a load nobody waits for. Bytes it got stay with the idle load, so a later request or prefetch resumes
   * from there (HTTP Range or another peer) instead of fetching them again; without bytes it is forgotten.
   */
  private park(load: Load): void {
    if (load.received === 0) {
      this.drop(load);
      return;
    }
    load.stop();
    this.d.transport.swarm(load.stream.swarmKey)?.withdrawLoading(load.segment.id);
  }

  /**
   * Bytes of a banned peer are held or on their way: all of the load's bytes go (an honest part cannot be told from
   * a forged one without a check), its transfer and check stop at once, and the segment comes over HTTP if it is
   * wanted now, else from whatever the scheduler plans next.
   */
  private evict(load: Load): void {
    load.stop();
    load.endCheck();
    this.d.meter.discarded(load.reset());
    if (load.waiters.size > 0 || load.reason === 'urgent')
      this.startHttp(load.stream, load.segment, load.waiters.size > 0 ? 'request' : 'urgent');
    else this.drop(load);
    this.d.replan();
  }

  /** Stops and forgets a load; pending player requests are rejected with `error` (default: aborted). */
  private drop(load: Load, error?: SwarmcastError): void {
    load.stop();
    load.endCheck();
    this.byKey.delete(load.key);
    this.d.meter.discarded(load.received);
    this.d.transport.swarm(load.stream.swarmKey)?.withdrawLoading(load.segment.id);
    for (const w of load.waiters) w.reject(error ?? new SwarmcastError('aborted', 'aborted'));
    load.waiters.clear();
  }

  /** `keepBytes`: a failed download nobody waits for is parked with what it got (not for bad bytes). */
  private fail(load: Load, error: SwarmcastError, keepBytes = false): void {
    this.lessons.backOff(
      load.stream.swarmKey,
      load.segment.id,
      this.d.clock.now() + this.d.settings().failureBackoffMs,
    );
    const waiters = [...load.waiters];
    if (keepBytes && waiters.length === 0) this.park(load);
    else this.drop(load, error);
    if (waiters.length > 0)
      this.d.emit('segment-error', { streamId: load.stream.id, segmentId: load.segment.id, error });
    this.d.replan();
  }
}
