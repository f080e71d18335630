import { defaultStorageBudgetBytes } from './storage/memory.js';
import type { SegmentStorage } from './storage/types.js';
import type { HttpRequestSetup, SegmentValidator } from './types.js';

/** Every engine setting, documented once here (units are in the names). */
export interface EngineSettings {
  /** Use peers at all. Runtime-changeable. When false the engine is a plain HTTP loader. */
  p2pEnabled: boolean;
  /** Serve stored segments to peers. Runtime-changeable. */
  uploadEnabled: boolean;
  /** Download from peers but never upload and never HTTP-seed for the swarm. Runtime-changeable. */
  consumeOnly: boolean;
  /** Upload cap per swarm in bytes/s; 0 = unlimited. Runtime-changeable. */
  uploadRateBytesPerSec: number;
  /** WebTorrent tracker URLs (wss://). */
  trackerUrls: string[];
  /** Passed to RTCPeerConnection. */
  rtcConfig: RTCConfiguration;
  /** Connected peers kept per swarm. */
  maxPeers: number;
  /**
   * Join swarms (tracker announce, WebRTC offers) only once the player can show a frame: its playhead sits in
   * buffered media (or JOIN_FALLBACK_MS after its first segment, for an integration that reports no playback).
   * Startup then never shares the CPU with connection set-up, and viewers who leave at once never load the tracker.
   */
  p2pJoinWhenPlayable: boolean;
  /** Most WebRTC offers sent per tracker announce (numwant); capped by the other viewers the tracker last counted. */
  offersPerAnnounce: number;
  /** Largest data-channel message sent or accepted. */
  maxMessageBytes: number;
  /** Concurrent HTTP segment downloads (all streams). */
  httpMaxConcurrent: number;
  /** Concurrent P2P segment downloads (all streams). */
  p2pMaxConcurrent: number;
  /**
   * Peers uploaded to at once per swarm. A request from a further peer is answered BUSY and it tries another holder,
   * so a fresh segment fans out over many uplinks instead of splitting one; 0 = no limit.
   */
  p2pMaxUploads: number;
  /** Media seconds ahead of the playhead that are urgent: HTTP unless a peer can provably deliver in time. */
  urgentWindowSec: number;
  /** Media seconds ahead of the playhead in which segments nobody has may be HTTP-seeded for the swarm. */
  httpWindowSec: number;
  /** Media seconds ahead of the playhead prefetched from peers that announced them. */
  p2pWindowSec: number;
  /** A peer must be this many times faster than strictly needed to be trusted with an urgent segment. */
  p2pSafetyFactor: number;
  /** A P2P download without new bytes for this long is stalled: urgent → HTTP resume, else cancelled. */
  p2pStallTimeoutMs: number;
  /**
   * Fetch segments nobody has yet over HTTP ahead of need (inside httpWindowSec) when we are first in their HTTP
   * queue among our peers, so the swarm has them before players ask.
   */
  httpSeedEnabled: boolean;
  /**
   * A requested segment no peer has or is fetching is held back from HTTP for a random share of this long, so
   * that viewers asking for the same new segment together (the live edge) fetch it over HTTP about once and
   * share it. At most half the time the playhead leaves in hand (see deadlineMarginMs); 0 = never hold back.
   */
  p2pWaitMaxMs: number;
  /** Kept in hand before a segment's deadline (beyond the expected HTTP time) when waiting for or trying peers. */
  deadlineMarginMs: number;
  /** Give up on the first HTTP byte (response headers) after this long. */
  httpTtfbTimeoutMs: number;
  /** Abort an HTTP download without new bytes for this long. */
  httpNoProgressTimeoutMs: number;
  /** Retries after network errors, timeouts and 5xx (never 4xx). */
  httpRetries: number;
  /** First retry delay; doubles each retry. */
  httpRetryDelayMs: number;
  /** Continue partial downloads with HTTP Range requests (needs a Range-capable origin). */
  httpRangeResume: boolean;
  /** After a failed prefetch, the segment is not prefetched again for this long (player requests ignore it). */
  failureBackoffMs: number;
  /** Scheduler tick period. */
  schedulerIntervalMs: number;
  /** Keep a stream's swarm (seeding) this long after it stopped being active. */
  inactiveStreamKeepMs: number;
  /** Storage byte budget; default depends on device memory (64–256 MB). */
  storageBudgetBytes: number;
  /** Stored segments expire after this long. */
  storageTtlMs: number;
  /** Custom store (e.g. IndexedDBStorage); default in-memory. */
  storage: SegmentStorage | undefined;
  /** Hook to add headers / credentials / rewrite the URL of every HTTP request. */
  httpRequestSetup: HttpRequestSetup | undefined;
  /** Hook to validate segment bytes from HTTP and peers. */
  validateSegment: SegmentValidator | undefined;
}

export const DEFAULT_SETTINGS: Readonly<EngineSettings> = {
  p2pEnabled: true,
  uploadEnabled: true,
  consumeOnly: false,
  uploadRateBytesPerSec: 0,
  trackerUrls: ['wss://tracker.novage.com.ua', 'wss://tracker.openwebtorrent.com', 'wss://tracker.webtorrent.dev'],
  rtcConfig: { iceServers: [{ urls: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] }] },
  maxPeers: 40,
  p2pJoinWhenPlayable: true,
  offersPerAnnounce: 10,
  maxMessageBytes: 65535,
  httpMaxConcurrent: 2,
  p2pMaxConcurrent: 3,
  p2pMaxUploads: 3,
  urgentWindowSec: 10,
  httpWindowSec: 30,
  p2pWindowSec: 60,
  p2pSafetyFactor: 1.5,
  p2pStallTimeoutMs: 2000,
  httpSeedEnabled: true,
  p2pWaitMaxMs: 8000,
  deadlineMarginMs: 1500,
  httpTtfbTimeoutMs: 10000,
  httpNoProgressTimeoutMs: 5000,
  httpRetries: 2,
  httpRetryDelayMs: 500,
  httpRangeResume: true,
  failureBackoffMs: 10000,
  schedulerIntervalMs: 300,
  inactiveStreamKeepMs: 30000,
  storageBudgetBytes: defaultStorageBudgetBytes(),
  storageTtlMs: 600000,
  storage: undefined,
  httpRequestSetup: undefined,
  validateSegment: undefined,
};

/** Settings changeable at runtime through `engine.applySettings`. */
export const DYNAMIC_SETTING_KEYS = ['p2pEnabled', 'uploadEnabled', 'consumeOnly', 'uploadRateBytesPerSec'] as const;
export type DynamicSettings = Pick<EngineSettings, (typeof DYNAMIC_SETTING_KEYS)[number]>;
