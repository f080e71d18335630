/**
 * What the Node side and the bench pages exchange (JSON-serialisable). Browser-safe: no Node imports.
 */
import type { IntegrityMode, IntegrityStats, SegmentSource } from '../../core/index.js';
import type { StallEpisode } from '../../test/e2e/support/types.js';

export type PlayerName = 'hlsjs' | 'videojs' | 'shaka';

/** One viewer as the page needs it. */
export interface ViewerSpec {
  /** `v00`, `v01`, … in join order. */
  id: string;
  /** Origin client id of everything the engine fetches (header `X-Swarmcast-Client`): media segments. */
  segmentClientId: string;
  /** Manifest URL with the viewer's `/c/<id>/` prefix: manifests and anything the player loads itself. */
  manifestUrl: string;
  /** Seed of the engine's `random` (peer ids, HTTP-seed dice, tracker offers). */
  seed: number;
}

/** Per-pass settings shared by every viewer of the pass. */
export interface PassSpec {
  player: PlayerName;
  /** false = baseline: the same engine and loader path with `p2pEnabled: false`. */
  p2p: boolean;
  trackerUrl: string;
  swarmId: string;
  live: boolean;
  /** Seconds behind the live edge every viewer (baseline too) plays at; undefined: each player's own default. */
  liveDelaySec: number | undefined;
  /** See SwarmBenchOptions.capToPlayerSize. */
  capToPlayerSize: boolean | undefined;
  /** `--set` engine overrides, both passes. */
  engineSettings: Record<string, number | boolean>;
  /** `--integrity`: the engine's integrity setting. */
  integrity: IntegrityMode;
}

export interface RealViewerParams {
  pass: PassSpec;
  viewer: ViewerSpec;
  /** The player's worker script (hls.js: `dist/hls.worker.js`), run from a blob URL. */
  playerWorker: string | undefined;
}

/** Page params of a page that hosts virtual viewers; viewers are added later with `join()`. */
export interface VirtualPageParams {
  pass: PassSpec;
  /** Seconds of media each virtual viewer keeps buffered ahead of its playhead (hls.js default maxBufferLength). */
  maxBufferSec: number;
}

export interface LoadSample {
  source: SegmentSource;
  durationMs: number;
  /** Page clock (performance.now()) when the engine answered. */
  atMs: number;
  /**
   * Page clock when the transfer that delivered it began (after any wait for peers; a stored segment: atMs) and when
   * its first byte came.
   */
  transferStartMs: number;
  firstByteMs: number;
  /** An init segment (ids from core's `initSegmentId` start with `i`). */
  init: boolean;
  /** Swarm key and segment id: the same segment has the same key in every viewer. */
  key: string;
  bytes: number;
}

/** A stall, and the media loads the player was waiting on during it (ms relative to the stall's start). */
export interface BenchStall extends StallEpisode {
  loadsInFlight: { source: SegmentSource; askedMs: number; deliveredMs: number }[];
}

/** A finished segment download, page clock. */
export interface DownloadSample {
  source: 'http' | 'p2p';
  /** As in LoadSample. */
  key: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

/** Long animation frames (over 50 ms of work) in a window of a page's life, and the scripts they ran most. */
export interface MainThreadBusy {
  /** False where the browser has no long-animation-frame entries (then every figure is 0). */
  supported: boolean;
  longFrames: number;
  longFrameMs: number;
  /** Of that, time past 50 ms per frame: how long input or a frame would have waited. */
  blockingMs: number;
  /** "invoker function" → ms, largest first. */
  topScripts: { script: string; ms: number }[];
}

/** One viewer's result, read once after every viewer stopped and in-flight transfers settled. */
export interface ViewerResult {
  id: string;
  kind: 'real' | 'virtual';
  /**
   * From the viewer's start (real: the page script starting the player, after the bundle loaded; virtual: join)
   * to the first frame playing; undefined if it never played.
   */
  startupMs: number | undefined;
  /**
   * From the same start to the player asking the engine for its first media segment, to its transfer starting (the
   * engine may wait for peers first), to its first byte, to the engine handing it back; and where it came from.
   */
  firstSegment:
    | { requestedMs: number; transferStartMs: number; firstByteMs: number; ms: number; source: SegmentSource }
    | undefined;
  /** From the same start to the engine's first connected peer (undefined: none, or P2P off). */
  firstPeerMs: number | undefined;
  /** That start, page clock (performance.now()). */
  startedAtMs: number;
  /** Media segments the engine handed the player before its first frame played (undefined if it never played). */
  mediaLoadsBeforeStartup: number | undefined;
  /** Those loads, from the same start: asked for, handed back, source. */
  startupLoads: { requestedMs: number; ms: number; source: SegmentSource }[];
  /** Real viewers that played: the page's long frames from the same start to the first frame. */
  mainThreadBeforeStartup: MainThreadBusy | undefined;
  playedSec: number;
  stalls: number;
  stallSec: number;
  /**
   * Real viewers: each stall's media time, cause, and how much was buffered ahead when it began (data there means
   * the page, not the network, stopped playback).
   */
  stallEpisodes: BenchStall[];
  engine: {
    httpBytes: number;
    p2pBytes: number;
    cacheBytes: number;
    uploadedBytes: number;
    peers: number;
    /** getStats().integrity: checks of P2P segments and what they cost the CDN. */
    integrity: IntegrityStats;
  };
  /** Player requests the engine answered: source and time from request to delivery. */
  loads: LoadSample[];
  /**
   * Every media segment download the engine finished, the player's and its own (prefetch, seeding): a prefetched
   * segment reaches the player as a cache load, so `loads` alone cannot tell which crossed the CDN.
   */
  downloads: DownloadSample[];
  /** The page's `performance.timeOrigin`: puts its loads' page-clock times on one clock with other pages'. */
  timeOriginMs: number;
  errors: string[];
}

/** `window.__bench` on every bench page. */
export interface BenchPageApi {
  /** Virtual pages only: starts one more viewer now. */
  join?(viewer: ViewerSpec): void;
  /** Stops playback (pauses the player / the simulated playhead); engines keep running so transfers settle. */
  stop(): void;
  results(): ViewerResult[];
}
