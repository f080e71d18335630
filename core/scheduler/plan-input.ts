/**
 * The one place a PlanInput is assembled, from the engine's parts: the stream's segments with what storage,
 * transfers and the player's requests say about each (one row per segment), the swarm, and the link.
 */
import type { Load } from '../loads/load.js';
import type { StreamState } from '../streams.js';
import type { SwarmPort } from '../transport/types.js';
import type { PlaybackState, SegmentDescriptor } from '../types.js';
import type { PlanInput, PlanRequest, PlanRow, PlanSettings } from './types.js';

/** Rendition bandwidth assumed for a size estimate when the manifest declares none (bits/s). */
const FALLBACK_BANDWIDTH_BPS = 4e6;

export interface PlanSources {
  nowMs: number;
  playback: PlaybackState | undefined;
  settings: PlanSettings;
  stream: StreamState;
  /** Every load of the engine (this stream's are picked out). */
  loads: Iterable<Load>;
  stored: {
    has(swarmKey: string, segmentId: string): boolean;
    sizeOf(swarmKey: string, segmentId: string): number | undefined;
  };
  /** Until when a segment of this stream is not prefetched (after a failure). */
  backoffUntil(segmentId: string): number | undefined;
  swarm: SwarmPort | undefined;
  peerBusy: ReadonlyMap<string, number>;
  httpActive: number;
  p2pActive: number;
  httpBytesPerSec: number | undefined;
}

/** The player's request as plan() sees it: since when, and when its own timer gives up (0 or none: no timer). */
function requestOf(load: Load): PlanRequest | undefined {
  if (load.waiters.size === 0) return undefined;
  let sinceMs = Infinity;
  let giveUpMs = Infinity;
  for (const w of load.waiters) {
    sinceMs = Math.min(sinceMs, w.requestStartMs);
    const timer = w.opts.playerTimeoutMs;
    if (timer !== undefined && timer > 0) giveUpMs = Math.min(giveUpMs, w.requestStartMs + timer);
  }
  return giveUpMs < Infinity ? { sinceMs, giveUpMs } : { sinceMs };
}

export function buildPlanInput(src: PlanSources): PlanInput {
  const st = src.stream;
  const byId = new Map<string, Load>();
  for (const l of src.loads) if (l.stream === st) byId.set(l.segment.id, l);
  const pos = src.playback?.positionSec ?? 0;
  const row = (seg: SegmentDescriptor): PlanRow | undefined => {
    const load = byId.get(seg.id);
    const request = load && requestOf(load);
    // Init segments are fetched when the player asks, never ahead; they sit at the playhead.
    if (seg.isInit && !request) return undefined;
    const sizeBytes =
      src.stored.sizeOf(st.swarmKey, seg.id) ??
      (seg.byteRange
        ? seg.byteRange.end - seg.byteRange.start
        : ((st.rendition.bandwidth ?? FALLBACK_BANDWIDTH_BPS) / 8) * seg.durationSec);
    // Built in one literal (absent fields undefined): this runs for every listed segment on every tick.
    return {
      id: seg.id,
      startSec: seg.isInit ? pos : seg.startSec,
      durationSec: seg.durationSec,
      sizeBytes,
      stored: src.stored.has(st.swarmKey, seg.id),
      load: load?.active ? load.view() : undefined,
      request,
      backoffUntilMs: src.backoffUntil(seg.id),
      checking: load?.checking,
    };
  };
  const rows: PlanRow[] = [];
  for (const seg of st.order) {
    const r = row(seg);
    if (r) rows.push(r);
  }
  // A segment the player still waits for after a live list moved past it is planned all the same.
  for (const load of byId.values()) {
    if (st.segments.has(load.segment.id) || load.waiters.size === 0) continue;
    const r = row(load.segment);
    if (!r) continue;
    const at = rows.findIndex((x) => x.startSec > r.startSec);
    rows.splice(at < 0 ? rows.length : at, 0, r);
  }
  const swarm = src.settings.p2pEnabled ? src.swarm : undefined;
  return {
    nowMs: src.nowMs,
    playback: src.playback,
    rows,
    swarm: {
      selfId: swarm?.peerId ?? '',
      peers: swarm?.peers() ?? [],
      peersConnecting: swarm?.connectingPeers() ?? 0,
      size: swarm?.swarmSize() ?? 1,
    },
    peerBusy: src.peerBusy,
    httpActive: src.httpActive,
    p2pActive: src.p2pActive,
    httpBytesPerSec: src.httpBytesPerSec,
    settings: src.settings,
  };
}
