import type { Swarm } from './p2p/types.js';
import { plan, type PlanAction, type PlanLoad, type PlanSegment } from './scheduler/plan.js';
import { EngineState, isPlayable, type StreamState } from './engine-state.js';
export type { EnginePlatform } from './engine-state.js';

/**
 * With p2pJoinWhenPlayable, how long after the first segment an integration that never reports playback joins
 * anyway (the players this library integrates report it, and show a frame well within this).
 */
export const JOIN_FALLBACK_MS = 3000;

/** The scheduling loop: plans every stream in use each tick and carries the plan out. */
export class EngineCore extends EngineState {
  /** See p2pJoinWhenPlayable. Once allowed, always: a later seek into unbuffered media does not leave the swarm. */
  private mayJoinSwarms(nowMs: number): boolean {
    this.joinAllowed ||=
      !this.settings.p2pJoinWhenPlayable ||
      isPlayable(this.playback) ||
      (this.firstDeliveredMs !== undefined && nowMs - this.firstDeliveredMs >= JOIN_FALLBACK_MS);
    return this.joinAllowed;
  }

  /** One scheduler pass: swarm lifecycle, plan per stream in use, execute, evict. */
  tick(): void {
    if (this.destroyed) return;
    const now = this.platform.now();
    const s = this.settings;
    for (const l of this.loads.values()) {
      // Parked partial bytes nobody came back for expire like stored segments.
      if (!l.active && l.waiters.size === 0 && now - l.lastDataMs > s.storageTtlMs) this.dropLoad(l);
    }
    const inUse = [...this.streams.values()].filter(
      (st) =>
        st.inactiveSinceMs === Infinity ||
        [...this.loads.values()].some((l) => l.streamId === st.id && (l.active || l.waiters.size > 0)),
    );
    if (this.mayJoinSwarms(now)) for (const st of inUse) this.swarms.ensure(st.swarmKey, s);
    for (const key of this.swarms.all().keys()) {
      const keep = [...this.streams.values()].some(
        (st) => st.swarmKey === key && (inUse.includes(st) || now - st.inactiveSinceMs < s.inactiveStreamKeepMs),
      );
      if (!keep) this.swarms.drop(key);
    }
    let httpActive = 0;
    let p2pActive = 0;
    const peerBusy = new Map<string, number>();
    for (const [peerId, untilMs] of this.busyPeers) {
      if (untilMs > now) peerBusy.set(peerId, 1);
      else this.busyPeers.delete(peerId);
    }
    for (const l of this.loads.values()) {
      if (l.source === 'http') httpActive++;
      if (l.source === 'p2p' && l.peerId) {
        p2pActive++;
        peerBusy.set(l.peerId, (peerBusy.get(l.peerId) ?? 0) + 1);
      }
    }
    for (const st of inUse) {
      const swarm = s.p2pEnabled ? this.swarms.get(st.swarmKey) : undefined;
      const loads = new Map<string, PlanLoad>();
      const requested = new Set<string>();
      const requestedSinceMs = new Map<string, number>();
      const playerGiveUpMs = new Map<string, number>();
      for (const l of this.loads.values()) {
        if (l.streamId !== st.id) continue;
        if (l.active) loads.set(l.segment.id, l.view());
        if (l.waiters.size === 0) continue;
        requested.add(l.segment.id);
        requestedSinceMs.set(l.segment.id, Math.min(...[...l.waiters].map((w) => w.requestStartMs)));
        // 0 (like XMLHttpRequest.timeout) means no timer.
        const timerMs = (ms: number | undefined): number => (ms !== undefined && ms > 0 ? ms : Infinity);
        const giveUp = Math.min(...[...l.waiters].map((w) => w.requestStartMs + timerMs(w.opts.playerTimeoutMs)));
        if (giveUp < Infinity) playerGiveUpMs.set(l.segment.id, giveUp);
      }
      const actions = plan({
        nowMs: now,
        playback: this.playback,
        segments: this.planSegments(st, requested),
        isStored: (id) => this.store.has(st.swarmKey, id),
        loads,
        requested,
        peers: swarm?.peers() ?? [],
        peersConnecting: swarm?.connectingPeers() ?? 0,
        swarmSize: swarm?.swarmSize() ?? 1,
        peerBusy,
        httpActive,
        p2pActive,
        backoffUntilMs: this.backoffFor(st.swarmKey, now),
        httpBytesPerSec: this.bandwidth.estimate(),
        requestedSinceMs,
        playerGiveUpMs,
        selfId: swarm?.peerId ?? '',
        settings: s,
      });
      for (const a of actions) {
        if (a.type === 'wait') {
          this.wakeAt(a.untilMs);
          continue;
        }
        const delta = this.execute(st, swarm, a);
        httpActive += delta.http;
        p2pActive += delta.p2p;
        if (a.type === 'p2p') peerBusy.set(a.peerId, (peerBusy.get(a.peerId) ?? 0) + 1);
      }
    }
    this.store.maybeEvict(this.positionsBySwarm());
  }

  /** Runs a tick at `atMs` (monotonic) unless one is already set up earlier. */
  protected wakeAt(atMs: number): void {
    if (this.destroyed || (this.wake && this.wake.atMs <= atMs)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const delayMs = Math.max(0, atMs - this.platform.now());
    this.wake = {
      atMs,
      timer: setTimeout(() => {
        this.wake = undefined;
        this.tick();
      }, delayMs + 1),
    };
  }

  /** Back-off entries (keyed by storage key) of one swarm, by segment id; expired entries are pruned. */
  private backoffFor(swarmKey: string, now: number): Map<string, number> {
    const out = new Map<string, number>();
    const prefix = this.store.key(swarmKey, '');
    for (const [key, until] of this.backoff) {
      if (until <= now) this.backoff.delete(key);
      else if (key.startsWith(prefix)) out.set(key.slice(prefix.length), until);
    }
    return out;
  }

  protected planSegments(st: StreamState, requested: ReadonlySet<string>): PlanSegment[] {
    const pos = this.playback?.positionSec ?? 0;
    const out: PlanSegment[] = [];
    for (const seg of st.order) {
      if (seg.isInit && !requested.has(seg.id)) continue;
      const known = this.store.sizeOf(st.swarmKey, seg.id);
      const sizeBytes =
        known ??
        (seg.byteRange
          ? seg.byteRange.end - seg.byteRange.start
          : ((st.rendition.bandwidth ?? 4e6) / 8) * seg.durationSec);
      out.push({ id: seg.id, startSec: seg.isInit ? pos : seg.startSec, durationSec: seg.durationSec, sizeBytes });
    }
    return out;
  }

  protected execute(st: StreamState, swarm: Swarm | undefined, a: PlanAction): { http: number; p2p: number } {
    const seg = st.segments.get(a.id);
    const load = seg && this.getLoad(st, seg);
    if (!seg || !load) return { http: 0, p2p: 0 };
    const wasP2P = load.source === 'p2p' ? 1 : 0;
    switch (a.type) {
      case 'http':
        load.startHttp(a.reason);
        swarm?.announceLoading(seg.id);
        return { http: 1, p2p: 0 };
      case 'p2p':
        if (!swarm) return { http: 0, p2p: 0 };
        load.startP2P(swarm, a.peerId, a.reason);
        // Announced like an HTTP fetch: a neighbour about to fetch it over HTTP waits for our copy instead, so a
        // segment spreads over several hops while the deadline allows (live at a P2P-friendly latency).
        swarm.announceLoading(seg.id);
        return { http: 0, p2p: 1 };
      case 'to-http':
        load.stop();
        load.startHttp(load.waiters.size > 0 ? 'request' : 'urgent');
        swarm?.announceLoading(seg.id);
        return { http: 1, p2p: -wasP2P };
      case 'cancel': {
        const wasHttp = load.source === 'http' ? 1 : 0;
        if (a.why === 'stalled')
          this.backoff.set(this.store.key(st.swarmKey, seg.id), this.platform.now() + this.settings.failureBackoffMs);
        if (load.waiters.size > 0) load.stop();
        else this.park(load);
        return { http: -wasHttp, p2p: -wasP2P };
      }
      case 'wait':
        return { http: 0, p2p: 0 };
    }
  }

  protected positionsBySwarm(): Map<string, number> {
    const out = new Map<string, number>();
    for (const id of this.active.values()) {
      const st = this.streams.get(id);
      if (st) out.set(st.swarmKey, this.playback?.positionSec ?? 0);
    }
    return out;
  }
}
