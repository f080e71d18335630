/**
 * The scheduler loop: every `schedulerIntervalMs`, on every event worth it, and at the wake-ups plan() asks for,
 * it joins and leaves swarms, plans every stream in use and carries the actions out through the load lifecycle.
 * It knows time only through a Clock and the network only through a Transport.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Loads } from '../loads/loads.js';
import type { Meter } from '../meter.js';
import type { EngineSettings } from '../settings.js';
import type { StoreKeeper } from '../store-keeper.js';
import type { StreamState, Streams } from '../streams.js';
import type { Transport } from '../transport/types.js';
import type { PlaybackState } from '../types.js';
import { plan } from './plan.js';
import { buildPlanInput } from './plan-input.js';
import type { PlanAction } from './types.js';

/**
 * With p2pJoinWhenPlayable, how long after the first segment an integration that never reports playback joins
 * anyway (the players this library integrates report it, and show a frame well within this).
 */
export const JOIN_FALLBACK_MS = 3000;

const httpOnlyCache = new WeakMap<Readonly<EngineSettings>, Readonly<EngineSettings>>();

/** The settings as planned when peers cannot be used: one object per settings object, not one per tick. */
function httpOnly(s: Readonly<EngineSettings>): Readonly<EngineSettings> {
  let off = httpOnlyCache.get(s);
  if (!off) {
    off = { ...s, p2pEnabled: false };
    httpOnlyCache.set(s, off);
  }
  return off;
}

/** Diagnostics tap (benchmarks, tests): every action the loop carries out. */
export interface TraceEvent {
  type: 'action';
  streamId: string;
  action: PlanAction;
}

export interface LoopDeps {
  settings(): Readonly<EngineSettings>;
  clock: Clock;
  transport: Transport;
  streams: Streams;
  loads: Loads;
  store: StoreKeeper;
  meter: Meter;
  playback(): PlaybackState | undefined;
  trace: ((event: TraceEvent) => void) | undefined;
}

/** The playhead sits in buffered media: the player can show a frame. */
export function isPlayable(playback: PlaybackState | undefined): boolean {
  return playback !== undefined && playback.bufferedEndSec > playback.positionSec;
}

export class SchedulerLoop {
  private timer: TimerHandle | undefined;
  /** Wake-up for the earliest `wait` plan() asked for (ticks are coarser than the hold-backs). */
  private wake: { atMs: number; handle: TimerHandle } | undefined;
  private queued = false;
  private destroyed = false;
  /** Swarms may be joined (see p2pJoinWhenPlayable). Once allowed, always: a later seek does not leave them. */
  private joinAllowed = false;

  constructor(private readonly d: LoopDeps) {
    this.schedule();
  }

  /** Plans again as soon as the current task is done (several events in one task plan once). */
  queueTick(): void {
    if (this.queued || this.destroyed) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.tick();
    });
  }

  /** The player reported playback: re-plan at once on a seek, a shrunk buffer, or the first frame before joining. */
  playbackChanged(prev: PlaybackState | undefined, next: PlaybackState): void {
    if (
      !prev ||
      (!this.joinAllowed && isPlayable(next)) ||
      Math.abs(next.positionSec - prev.positionSec) > 1 ||
      next.bufferedEndSec < prev.bufferedEndSec
    )
      this.queueTick();
  }

  /** One pass: swarm lifecycle, a plan per stream in use, its actions, storage eviction. */
  tick(): void {
    if (this.destroyed) return;
    const { loads, streams, transport, store, clock } = this.d;
    const s = this.d.settings();
    const now = clock.now();
    transport.pollProgress();
    loads.expireIdle(now);
    const busyStreams = new Set<StreamState>();
    for (const l of loads.all()) if (l.active || l.waiters.size > 0) busyStreams.add(l.stream);
    const inUse = [...streams.all()].filter((st) => st.inactiveSinceMs === Infinity || busyStreams.has(st));
    if (this.mayJoin(now, s)) for (const st of inUse) transport.join(st.swarmKey);
    for (const key of [...transport.swarms().keys()]) {
      const keep = [...streams.all()].some(
        (st) => st.swarmKey === key && (inUse.includes(st) || now - st.inactiveSinceMs < s.inactiveStreamKeepMs),
      );
      if (!keep) transport.leave(key);
    }
    let httpActive = 0;
    let p2pActive = 0;
    const peerBusy = new Map<string, number>();
    for (const peerId of loads.lessons.restingPeers(now)) peerBusy.set(peerId, 1);
    for (const l of loads.all()) {
      if (l.source === 'http') httpActive++;
      if (l.source === 'p2p' && l.peerId) {
        p2pActive++;
        peerBusy.set(l.peerId, (peerBusy.get(l.peerId) ?? 0) + 1);
      }
    }
    const p2pWorks = transport.p2pAvailable();
    for (const st of inUse) {
      const usable = s.p2pEnabled && p2pWorks && !loads.lessons.unverifiableNow(st.swarmKey, now);
      const swarm = usable ? transport.swarm(st.swarmKey) : undefined;
      const input = buildPlanInput({
        nowMs: now,
        playback: this.d.playback(),
        // Where peers cannot be used (no WebRTC, or bytes from this swarm cannot be verified now) nothing may be
        // held back for them: the player must get what it would get with no swarmcast at all.
        settings: usable ? s : httpOnly(s),
        stream: st,
        loads: loads.all(),
        stored: store,
        backoffUntil: (segmentId) => loads.lessons.backoffUntil(st.swarmKey, segmentId, now),
        swarm,
        peerBusy,
        httpActive,
        p2pActive,
        httpBytesPerSec: this.d.meter.bandwidth.estimate(),
      });
      for (const a of plan(input)) {
        this.d.trace?.({ type: 'action', streamId: st.id, action: a });
        if (a.type === 'wait') {
          this.wakeAt(a.untilMs);
          continue;
        }
        const delta = this.execute(st, a);
        httpActive += delta.http;
        p2pActive += delta.p2p;
        if (a.type === 'p2p') peerBusy.set(a.peerId, (peerBusy.get(a.peerId) ?? 0) + 1);
      }
    }
    const positionSec = this.d.playback()?.positionSec ?? 0;
    store.maybeEvict(new Map(streams.activeSwarmKeys().map((key) => [key, positionSec])));
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer);
    if (this.wake) this.d.clock.clearTimeout(this.wake.handle);
    this.timer = this.wake = undefined;
  }

  /** The periodic tick. */
  private schedule(): void {
    this.timer = this.d.clock.setTimeout(() => {
      if (this.destroyed) return;
      this.schedule();
      this.tick();
    }, this.d.settings().schedulerIntervalMs);
  }

  /** Runs a tick at `atMs` unless one is already set up earlier. */
  private wakeAt(atMs: number): void {
    if (this.destroyed || (this.wake && this.wake.atMs <= atMs)) return;
    const { clock } = this.d;
    if (this.wake) clock.clearTimeout(this.wake.handle);
    const handle = clock.setTimeout(
      () => {
        this.wake = undefined;
        this.tick();
      },
      Math.max(0, atMs - clock.now()) + 1,
    );
    this.wake = { atMs, handle };
  }

  /** See p2pJoinWhenPlayable. */
  private mayJoin(nowMs: number, s: Readonly<EngineSettings>): boolean {
    const first = this.d.loads.firstDeliveredMs;
    this.joinAllowed ||=
      !s.p2pJoinWhenPlayable ||
      isPlayable(this.d.playback()) ||
      (first !== undefined && nowMs - first >= JOIN_FALLBACK_MS);
    return this.joinAllowed;
  }

  /** Carries one action out; returns how the in-flight counts changed. */
  private execute(st: StreamState, a: Exclude<PlanAction, { type: 'wait' }>): { http: number; p2p: number } {
    const { loads, transport } = this.d;
    const current = loads.get(st, a.id);
    // A row plan() was given is listed, or waited for by the player after its list moved on.
    const seg = st.segments.get(a.id) ?? current?.segment;
    if (!seg) return { http: 0, p2p: 0 };
    const wasP2P = current?.source === 'p2p' ? 1 : 0;
    const wasHttp = current?.source === 'http' ? 1 : 0;
    switch (a.type) {
      case 'http':
        loads.startHttp(st, seg, a.reason);
        return { http: 1, p2p: 0 };
      case 'p2p': {
        const swarm = transport.swarm(st.swarmKey);
        if (!swarm) return { http: 0, p2p: 0 };
        loads.startPeer(st, seg, swarm, a.peerId, a.reason);
        return { http: 0, p2p: 1 };
      }
      case 'to-http':
        loads.cutToHttp(st, seg, a.why);
        return { http: 1, p2p: -wasP2P };
      case 'cancel':
        loads.cancel(st, seg, a.why);
        return { http: -wasHttp, p2p: -wasP2P };
    }
  }
}
