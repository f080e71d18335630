import type { PeerInfo } from '../p2p/types.js';
import type { EngineSettings } from '../settings.js';
import type { PlaybackState } from '../types.js';

export type PlanReason = 'request' | 'urgent' | 'prefetch' | 'seed';

/** One download in flight for a segment. */
export interface PlanLoad {
  source: 'http' | 'p2p';
  peerId?: string;
  /** Why it was started; only `seed` and `prefetch` HTTP/P2P loads may be pre-empted. */
  reason: PlanReason;
  startedMs: number;
  /** Last time bytes arrived (startedMs before the first byte). */
  lastDataMs: number;
  /** Bytes of this source's transfer so far (for its throughput). */
  sourceBytes: number;
  /** Bytes of the segment held so far, all sources. */
  receivedBytes: number;
  totalBytes: number | undefined;
}

/** The player is waiting for the segment. */
export interface PlanRequest {
  /** When the player first asked for it. */
  sinceMs: number;
  /**
   * When the player's own timer gives up on it (its earliest waiter); absent: no timer. A segment is held back
   * for the swarm no later than a deadline would allow at that instant.
   */
  giveUpMs?: number;
}

/** One segment of a stream in use, as the scheduler sees it: everything plan() knows about it in one row. */
export interface PlanRow {
  id: string;
  startSec: number;
  durationSec: number;
  /** Exact size when known (byte range, stored before), else bandwidth × duration. */
  sizeBytes: number;
  /** A complete copy is in storage. */
  stored: boolean;
  /** The transfer in flight, if any. */
  load?: PlanLoad;
  /** Present while the player waits for it (not necessarily loading yet). */
  request?: PlanRequest;
  /** After a failed prefetch: not prefetched again before this. */
  backoffUntilMs?: number;
  /** Every byte is in and being checked: nothing to do until the check ends. */
  checking?: boolean;
}

/** The stream's swarm as plan() sees it (empty without P2P). */
export interface PlanSwarm {
  /** Our peer id in the swarm ('' without one): with a segment id it gives our place in the HTTP queue. */
  selfId: string;
  /** Connected peers. */
  peers: readonly PeerInfo[];
  /** Connections being set up with a known remote peer (a newcomer's first peers). */
  peersConnecting: number;
  /** Viewers in the swarm as the tracker last counted them, us included (at least peers + 1). */
  size: number;
}

export type PlanSettings = Pick<
  EngineSettings,
  | 'p2pEnabled'
  | 'consumeOnly'
  | 'httpMaxConcurrent'
  | 'p2pMaxConcurrent'
  | 'urgentWindowSec'
  | 'httpWindowSec'
  | 'p2pWindowSec'
  | 'p2pSafetyFactor'
  | 'p2pStallTimeoutMs'
  | 'httpSeedEnabled'
  | 'p2pWaitMaxMs'
  | 'deadlineMarginMs'
>;

export interface PlanInput {
  nowMs: number;
  playback: PlaybackState | undefined;
  /** One row per segment of one stream in use, ascending start. */
  rows: readonly PlanRow[];
  swarm: PlanSwarm;
  /** Our in-flight P2P downloads per peer id (all streams), plus peers resting after a BUSY answer. */
  peerBusy: ReadonlyMap<string, number>;
  /** In-flight downloads across all streams (the caps are global). */
  httpActive: number;
  p2pActive: number;
  /** HTTP-only throughput estimate, bytes/s; undefined before the first measurable download. */
  httpBytesPerSec: number | undefined;
  settings: PlanSettings;
}

export type PlanAction =
  | { type: 'http'; id: string; reason: PlanReason }
  | { type: 'p2p'; id: string; peerId: string; reason: PlanReason }
  /** Cancel the P2P transfer and continue over HTTP Range from the byte reached. */
  | { type: 'to-http'; id: string; why: 'stalled' | 'slow' }
  | { type: 'cancel'; id: string; why: 'stalled' | 'preempted' }
  /** Nothing to do for this segment yet (a peer may deliver it first); plan again at `untilMs` at the latest. */
  | { type: 'wait'; id: string; untilMs: number };
