/**
 * The engine's settings, each written once: SETTINGS_SCHEMA holds its type, range, default and whether it may
 * change at runtime; SETTING_DOCS its one-line doc (a separate record, checked complete by the compiler, so the
 * browser bundle does not carry the prose: only the README generator and the tests read it).
 */
import { Schema, spec, type ConfigOf } from './config/schema.js';
import type { IntegrityMode } from './integrity/verdict.js';
import { defaultStorageBudgetBytes } from './storage/memory.js';
import type { SegmentStorage } from './storage/types.js';
import type { HttpRequestSetup, SegmentValidator } from './types.js';

const isStorage = (v: unknown): boolean =>
  v === undefined ||
  (typeof v === 'object' &&
    v !== null &&
    ['get', 'put', 'has', 'delete', 'list', 'usage'].every(
      (m) => typeof (v as Record<string, unknown>)[m] === 'function',
    ));

const isWsUrl = (v: string): boolean => /^wss?:\/\/[^\s/]+/i.test(v);

const SPECS = {
  p2pEnabled: spec.boolean(true, { runtime: true }),
  uploadEnabled: spec.boolean(true, { runtime: true }),
  consumeOnly: spec.boolean(false, { runtime: true }),
  uploadRateBytesPerSec: spec.integer(0, { min: 0, runtime: true }),
  trackerUrls: spec.strings(
    ['wss://tracker.novage.com.ua', 'wss://tracker.openwebtorrent.com', 'wss://tracker.webtorrent.dev'],
    isWsUrl,
    'ws:// or wss:// URLs',
  ),
  rtcConfig: spec.object<RTCConfiguration>({
    iceServers: [{ urls: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] }],
  }),
  maxPeers: spec.integer(40, { min: 1, max: 500 }),
  p2pJoinWhenPlayable: spec.boolean(true),
  offersPerAnnounce: spec.integer(10, { min: 0, max: 100 }),
  maxMessageBytes: spec.integer(65535, { min: 1024, max: 262144 }),
  httpMaxConcurrent: spec.integer(2, { min: 1, max: 16 }),
  p2pMaxConcurrent: spec.integer(3, { min: 0, max: 32 }),
  p2pMaxUploads: spec.integer(3, { min: 0, max: 64 }),
  urgentWindowSec: spec.number(10, { min: 0.5, max: 600 }),
  httpWindowSec: spec.number(30, { min: 0, max: 86400 }),
  p2pWindowSec: spec.number(60, { min: 0, max: 86400 }),
  p2pSafetyFactor: spec.number(1.5, { min: 1, max: 10 }),
  p2pStallTimeoutMs: spec.integer(2000, { min: 100, max: 60000 }),
  httpSeedEnabled: spec.boolean(true),
  p2pWaitMaxMs: spec.integer(8000, { min: 0, max: 60000 }),
  deadlineMarginMs: spec.integer(1500, { min: 0, max: 60000 }),
  httpTtfbTimeoutMs: spec.integer(10000, { min: 100, max: 300000 }),
  httpNoProgressTimeoutMs: spec.integer(5000, { min: 100, max: 300000 }),
  httpRetries: spec.integer(2, { min: 0, max: 10 }),
  httpRetryDelayMs: spec.integer(500, { min: 0, max: 60000 }),
  httpRangeResume: spec.boolean(true),
  failureBackoffMs: spec.integer(10000, { min: 0, max: 3600000 }),
  schedulerIntervalMs: spec.integer(300, { min: 10, max: 10000 }),
  inactiveStreamKeepMs: spec.integer(30000, { min: 0, max: 3600000 }),
  storageBudgetBytes: spec.integer(defaultStorageBudgetBytes, { min: 0 }),
  storageTtlMs: spec.integer(600000, { min: 1, max: 7 * 86400000 }),
  storage: spec.custom<SegmentStorage | undefined>(
    undefined,
    isStorage,
    'a SegmentStorage (object with get/put/has/delete/list/usage) or undefined',
  ),
  integrity: spec.oneOf<IntegrityMode>('auto', ['auto', 'hash-list', 'spot-check', 'off']),
  httpRequestSetup: spec.optionalFunction<HttpRequestSetup>(),
  validateSegment: spec.optionalFunction<SegmentValidator>(),
};

/** Every engine setting (see SETTING_DOCS for what each does; units are in the names). */
export type EngineSettings = ConfigOf<typeof SPECS>;
export type SettingKey = keyof EngineSettings;

/**
 * P2P Media Loader's names for the same things (most users come from it), with ours: an unknown-key error then
 * says which of ours to use. docs/migrating-from-p2p-media-loader.md has one row per key here (a docs test checks).
 */
export const P2PML_NAMES: Readonly<Record<string, string>> = {
  announceTrackers: 'trackerUrls',
  isP2PDisabled: 'p2pEnabled" (inverted',
  isP2PUploadDisabled: 'uploadEnabled" (inverted',
  simultaneousHttpDownloads: 'httpMaxConcurrent',
  simultaneousP2PDownloads: 'p2pMaxConcurrent',
  highDemandTimeWindow: 'urgentWindowSec',
  httpDownloadTimeWindow: 'httpWindowSec',
  p2pDownloadTimeWindow: 'p2pWindowSec',
  webRtcMaxMessageSize: 'maxMessageBytes',
  p2pNotReceivingBytesTimeoutMs: 'p2pStallTimeoutMs',
  httpNotReceivingBytesTimeoutMs: 'httpNoProgressTimeoutMs',
  httpDownloadInitialTimeoutMs: 'httpTtfbTimeoutMs',
  httpErrorRetries: 'httpRetries',
  p2pInactiveLoaderDestroyTimeoutMs: 'inactiveStreamKeepMs',
  validateP2PSegment: 'validateSegment',
  validateHTTPSegment: 'validateSegment',
  segmentMemoryStorageLimit: 'storageBudgetBytes" (bytes, not MiB',
  customSegmentStorageFactory: 'storage" (a SegmentStorage instance',
};
/** P2P Media Loader keys with no setting of ours, and what to do instead. */
export const P2PML_NO_EQUIVALENT: Readonly<Record<string, string>> = {
  swarmId: 'not an engine setting: pass it to the integration ("swarmId" option) or to engine.setContent()',
  mainStream: "P2P Media Loader's per-stream block: our settings apply to every stream; set them at the top level",
  secondaryStream:
    'P2P Media Loader\'s per-stream block: our settings apply to every stream; audio is the integration\'s "p2pAudio" option',
  p2pErrorRetries: "P2P Media Loader's name; not needed: a failed peer transfer goes to another peer or to HTTP",
  trackerClientVersionPrefix: "P2P Media Loader's name; not needed: swarmcast sets its own peer id prefix",
};
const P2PML_KEYS: Record<string, string> = { ...P2PML_NO_EQUIVALENT };
for (const [theirs, ours] of Object.entries(P2PML_NAMES)) {
  P2PML_KEYS[theirs] = `P2P Media Loader's name: use "${ours}${ours.includes('(') ? ')' : '"'}`;
}

export const SETTINGS_SCHEMA = new Schema(SPECS, { name: 'swarmcast', noun: 'setting', foreignKeys: P2PML_KEYS });

/** The defaults (the storage budget is computed for this device when the module loads). */
export const DEFAULT_SETTINGS: Readonly<EngineSettings> = SETTINGS_SCHEMA.defaults();

/** Settings changeable at runtime through `engine.applySettings`. */
export const DYNAMIC_SETTING_KEYS = SETTINGS_SCHEMA.runtimeKeys as readonly DynamicSettingKey[];
type DynamicSettingKey = 'p2pEnabled' | 'uploadEnabled' | 'consumeOnly' | 'uploadRateBytesPerSec';
export type DynamicSettings = Pick<EngineSettings, DynamicSettingKey>;

/**
 * Validated merge over `base` (default: the defaults): unknown keys, wrong types and values out of range throw a
 * SettingsError naming the key and what it accepts. `undefined` resets a key. `allowed` restricts the keys (the
 * runtime subset).
 */
export function mergeSettings(
  partial: Partial<EngineSettings> | undefined,
  base?: Readonly<EngineSettings>,
  allowed?: readonly SettingKey[],
): EngineSettings {
  return SETTINGS_SCHEMA.merge(partial, base, allowed);
}

/** README "default" cells for the defaults that are not worth printing as JSON. */
export const SETTING_DEFAULT_NOTES: Partial<Record<SettingKey, string>> = {
  trackerUrls: '3 public WebTorrent trackers',
  rtcConfig: 'Google + Twilio STUN',
  storageBudgetBytes: '64–256 MB by device memory',
  storage: 'in memory',
};

/** One line per setting: what it does (the README settings table is generated from this and the schema). */
export const SETTING_DOCS: Record<SettingKey, string> = {
  p2pEnabled: 'use peers at all; `false` = a plain HTTP loader',
  uploadEnabled: 'serve stored segments to peers',
  consumeOnly: 'download from peers, never upload or HTTP-seed for the swarm',
  uploadRateBytesPerSec: 'upload cap per swarm, 0 = unlimited',
  trackerUrls: 'WebTorrent tracker URLs; use your own in production',
  rtcConfig: 'passed to `RTCPeerConnection` (add TURN here)',
  maxPeers: 'connected peers kept per swarm',
  p2pJoinWhenPlayable:
    'join swarms only once the player can show a frame (3 s after the first segment for an integration that reports no playback), so startup never shares the CPU with connection set-up; `false` joins at once',
  offersPerAnnounce:
    'most WebRTC offers per tracker announce; never more than the other viewers the tracker last counted',
  maxMessageBytes: 'largest data-channel message sent or accepted',
  httpMaxConcurrent: 'concurrent HTTP segment downloads',
  p2pMaxConcurrent: 'concurrent P2P segment downloads',
  p2pMaxUploads:
    'peers uploaded to at once per swarm; a further peer is answered BUSY and tries another holder; 0 = no limit',
  urgentWindowSec: 'media seconds ahead that are urgent: HTTP unless a peer can provably deliver in time',
  httpWindowSec: 'look-ahead in which segments nobody has may be fetched over HTTP for the swarm (seeded)',
  p2pWindowSec: 'look-ahead prefetched from peers that announced the segment',
  p2pSafetyFactor: 'how much faster than strictly needed a peer must be for urgent data',
  p2pStallTimeoutMs: 'a P2P download without bytes this long is stalled (urgent: continued over HTTP Range)',
  httpSeedEnabled:
    'fetch a segment nobody has ahead of need when first in its HTTP queue among our peers and among the first 3 of the swarm',
  p2pWaitMaxMs:
    'a requested segment nobody has is held back from HTTP for a random share of this, so a swarm at the live edge fetches it about once',
  deadlineMarginMs: 'time kept in hand before a segment is due when waiting for or trying peers',
  httpTtfbTimeoutMs: 'HTTP time-to-first-byte timeout',
  httpNoProgressTimeoutMs: 'HTTP no-progress timeout',
  httpRetries: 'retries after network errors, timeouts and 5xx (never 4xx)',
  httpRetryDelayMs: 'first retry delay; doubles each retry',
  httpRangeResume: 'complete partial downloads with HTTP Range',
  failureBackoffMs: 'after a failed prefetch, that segment is not prefetched again for this long',
  schedulerIntervalMs: 'scheduler tick',
  inactiveStreamKeepMs: 'a rendition keeps its swarm (and seeds) this long after a quality switch',
  storageBudgetBytes: 'segment store budget (default 64–256 MB by device memory)',
  storageTtlMs: 'stored segments expire after this long',
  storage: 'a `SegmentStorage`, e.g. `new IndexedDBStorage()` (survives reloads); default in memory',
  integrity:
    "how bytes from peers are checked before anything uses them: `auto` = the origin's hash list (`segments-sha256.json`) when it publishes one, else a spot check against the origin; `hash-list` = the list only; `spot-check` = a random window and the length via one HTTP Range request; `off` = trust peers (see Security model)",
  httpRequestSetup: '`(req) => req`: headers, credentials, URL rewrite for every HTTP request',
  validateSegment:
    '`(segment, bytes, source, peerId) => boolean | Promise<boolean>`; a peer whose bytes fail is banned from that swarm and the segment comes from HTTP',
};
