import type { PlanInput, PlanLoad, PlanSegment } from '../../core/scheduler/plan.js';
import type { EngineHost, SimEngine } from './engine.js';

/**
 * The one place a PlanInput is assembled (engine-core.ts `tick` does the same from the real engine's state), so
 * a change of plan()'s input shows up here and nowhere else.
 */
export function buildPlanInput(engine: SimEngine, host: EngineHost, nowMs: number): PlanInput {
  const { settings } = host.world;
  let httpActive = 0;
  let p2pActive = 0;
  const peerBusy = new Map<string, number>();
  const loads = new Map<string, PlanLoad>();
  const requested = new Set<string>();
  const requestedSinceMs = new Map<string, number>();
  for (const [id, l] of engine.loads) {
    if (l.source === 'http') httpActive++;
    if (l.source === 'p2p' && l.peerId) {
      p2pActive++;
      peerBusy.set(l.peerId, (peerBusy.get(l.peerId) ?? 0) + 1);
    }
    if (l.active) loads.set(id, l.view(nowMs));
    if (!l.waiter) continue;
    requested.add(id);
    requestedSinceMs.set(id, l.waiter.sinceMs);
  }
  for (const [id, untilMs] of engine.busyPeers) {
    if (untilMs > nowMs) peerBusy.set(id, 1);
    else engine.busyPeers.delete(id);
  }
  const segments: PlanSegment[] = host.planSegments().map((seg) => ({
    id: seg.id,
    startSec: seg.startSec,
    durationSec: seg.durationSec,
    // engine-core planSegments: the stored size when known, else the playlist bandwidth × duration.
    sizeBytes: engine.store.has(seg.id) ? seg.sizeBytes : host.world.stream.estimatedSizeBytes,
  }));
  return {
    nowMs,
    playback: host.playback(),
    segments,
    isStored: (id) => engine.store.has(id),
    loads,
    requested,
    peers: settings.p2pEnabled ? host.peerList() : [],
    peersConnecting: settings.p2pEnabled ? host.connectingPeers() : 0,
    swarmSize: host.swarmSize,
    peerBusy,
    httpActive,
    p2pActive,
    backoffUntilMs: engine.backoff,
    httpBytesPerSec: engine.bandwidth.estimate(),
    requestedSinceMs,
    // The simulated player has no request timer of its own (hls.js's 10 s first-byte timer never binds here).
    playerGiveUpMs: new Map(),
    selfId: settings.p2pEnabled ? host.peerId : '',
    settings,
  };
}
