/**
 * The test builder for plan(): a 30-segment stream of 4 s segments, a PlanInput with nothing going on that each
 * test overrides with the state it is about, and fake peers.
 */
import { DEFAULT_SETTINGS } from '../../../../core/settings.js';
import type { PlanInput, PlanLoad, PlanRow } from '../../../../core/scheduler/plan.js';
import { FakePeer } from '../fake-swarm.js';

export const SEG_BYTES = 500_000;
/**
 * Seeding is off unless a test is about it, so other tests see only the actions they are about; the P2P cap is
 * pinned to the value the tests reason about.
 */
export const SETTINGS = { ...DEFAULT_SETTINGS, httpSeedEnabled: false, p2pMaxConcurrent: 3 };
export const SEEDING = { ...DEFAULT_SETTINGS, p2pMaxConcurrent: 3 };
export const segments = Array.from({ length: 30 }, (_, i) => ({
  id: `s${i}`,
  startSec: i * 4,
  durationSec: 4,
  sizeBytes: SEG_BYTES,
}));

/** A test scenario described the way tests think about it (which segments are requested, stored, loading…). */
export interface Scenario {
  nowMs: number;
  playback: PlanInput['playback'];
  segments: readonly { id: string; startSec: number; durationSec: number; sizeBytes: number }[];
  isStored: (id: string) => boolean;
  loads: ReadonlyMap<string, PlanLoad>;
  requested: ReadonlySet<string>;
  requestedSinceMs: ReadonlyMap<string, number>;
  playerGiveUpMs: ReadonlyMap<string, number>;
  backoffUntilMs: ReadonlyMap<string, number>;
  peers: PlanInput['swarm']['peers'];
  peersConnecting: number;
  swarmSize: number;
  selfId: string;
  peerBusy: ReadonlyMap<string, number>;
  httpActive: number;
  p2pActive: number;
  httpBytesPerSec: number | undefined;
  settings: PlanInput['settings'];
}

/** The plan input of a scenario (nothing going on unless a test says so): one row per segment. */
export function input(over: Partial<Scenario> = {}): PlanInput {
  const sc: Scenario = {
    nowMs: 10_000,
    playback: { positionSec: 0, rate: 1, bufferedEndSec: 0 },
    segments,
    isStored: () => false,
    loads: new Map(),
    requested: new Set(),
    requestedSinceMs: new Map(),
    playerGiveUpMs: new Map(),
    backoffUntilMs: new Map(),
    peers: [],
    peersConnecting: 0,
    swarmSize: 1,
    selfId: 'self',
    peerBusy: new Map(),
    httpActive: 0,
    p2pActive: 0,
    httpBytesPerSec: undefined,
    settings: SETTINGS,
    ...over,
  };
  const rows: PlanRow[] = sc.segments.map((seg) => {
    const load = sc.loads.get(seg.id);
    const backoff = sc.backoffUntilMs.get(seg.id);
    const giveUpMs = sc.playerGiveUpMs.get(seg.id);
    const request = sc.requested.has(seg.id)
      ? { sinceMs: sc.requestedSinceMs.get(seg.id) ?? sc.nowMs, ...(giveUpMs !== undefined ? { giveUpMs } : {}) }
      : undefined;
    return {
      ...seg,
      stored: sc.isStored(seg.id),
      ...(load ? { load } : {}),
      ...(request ? { request } : {}),
      ...(backoff !== undefined ? { backoffUntilMs: backoff } : {}),
    };
  });
  return {
    nowMs: sc.nowMs,
    playback: sc.playback,
    rows,
    swarm: { selfId: sc.selfId, peers: sc.peers, peersConnecting: sc.peersConnecting, size: sc.swarmSize },
    peerBusy: sc.peerBusy,
    httpActive: sc.httpActive,
    p2pActive: sc.p2pActive,
    httpBytesPerSec: sc.httpBytesPerSec,
    settings: sc.settings,
  };
}

export function peer(id: string, throughput: number | undefined, has: string[], loading: string[] = []): FakePeer {
  const p = new FakePeer(id, throughput);
  for (const h of has) p.haves.add(h);
  for (const l of loading) p.loading.add(l);
  return p;
}

export const p2pLoad = (over: Partial<PlanLoad> = {}): PlanLoad => ({
  source: 'p2p',
  peerId: 'A',
  reason: 'prefetch',
  startedMs: 9_000,
  lastDataMs: 9_900,
  sourceBytes: 0,
  receivedBytes: 0,
  totalBytes: SEG_BYTES,
  ...over,
});
