/**
 * The test builder for plan(): a 30-segment stream of 4 s segments, a PlanInput with nothing going on that each
 * test overrides with the state it is about, and fake peers.
 */
import { DEFAULT_SETTINGS } from '../../../../core/settings.js';
import type { PlanInput, PlanLoad } from '../../../../core/scheduler/plan.js';
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

export function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    nowMs: 10_000,
    playback: { positionSec: 0, rate: 1, bufferedEndSec: 0 },
    segments,
    isStored: () => false,
    loads: new Map(),
    requested: new Set(),
    peers: [],
    peersConnecting: 0,
    swarmSize: 1,
    peerBusy: new Map(),
    httpActive: 0,
    p2pActive: 0,
    backoffUntilMs: new Map(),
    httpBytesPerSec: undefined,
    requestedSinceMs: new Map(),
    playerGiveUpMs: new Map(),
    selfId: 'self',
    settings: SETTINGS,
    ...over,
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
