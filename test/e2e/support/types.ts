/** Data shared between e2e viewer pages (browser) and the tests (Node). Player-agnostic. */

export interface StallEpisode {
  /** Media time when the stall began. */
  atSec: number;
  /** Seconds buffered ahead of the playhead when it began (> 0.5 means data was there but playback stopped). */
  bufferAheadSec: number;
  durationMs: number;
  /** Page clock (performance.now()) when it began. */
  startedAtMs: number;
  /** What detected it: a `waiting` event, or the playhead frozen while playing. */
  cause: 'waiting' | 'frozen';
}

export interface PlaybackSnapshot {
  /** ms (page clock) from page start to the first `playing`; undefined until then. */
  startupMs: number | undefined;
  currentTimeSec: number;
  /** Media seconds actually played since startup (seeks excluded). */
  playedSec: number;
  /** Stalls after startup, seeks excluded. */
  stalls: StallEpisode[];
  /** `waiting` events before startup (expected; not stalls). */
  startupWaiting: number;
  ended: boolean;
  /** Media element error, if any. */
  error: string | undefined;
}

export interface EngineReport {
  httpBytes: number;
  p2pBytes: number;
  cacheBytes: number;
  uploadedBytes: number;
  peers: number;
  /** What verifying peers' bytes cost the origin (absent in entries that do not report it). */
  integrity?: { verified: number; failed: number; cdnBytes: number; cdnRequests: number };
}

export interface ViewerReport {
  label: string;
  playback: PlaybackSnapshot;
  /** Undefined for a viewer without P2P. */
  engine: EngineReport | undefined;
  /** Rendition index of each main media segment the player loaded, in order. */
  levels: number[];
  /** Live: distance from the live edge (player-reported) at report time. */
  latencySec?: number | undefined;
  /** Player requests answered, by source (from the engine's segment-loaded events). */
  sources: Record<string, number>;
  errors: string[];
}

/** What a player-specific viewer entry exposes on `window.__viewer`. */
export interface ViewerApi {
  report(): ViewerReport;
}
