/**
 * Public entry point of swarmcast core.
 *
 * @module swarmcast
 */
export { VERSION } from './version.js';
export { Engine, type EnginePlatform } from './engine.js';
export type { EngineEvents } from './engine-events.js';
export { SwarmcastError, isSwarmcastError, type SwarmcastErrorType } from './errors.js';
export {
  SWARM_KEY_VERSION,
  contentIdFromUrl,
  hlsLiveSegmentId,
  initSegmentId,
  renditionKey,
  swarmKey,
  vodSegmentId,
  type RenditionAttributes,
  type StreamType,
} from './ids.js';
export { DEFAULT_SETTINGS, type DynamicSettings, type EngineSettings } from './settings.js';
export { SettingsError } from './config/error.js';
export type { IntegrityMode, Verdict, VerdictReason } from './integrity/verdict.js';
export type { EngineStats, IntegrityStats, PeerStats } from './stats.js';
export { MemoryStorage } from './storage/memory.js';
export { IndexedDBStorage } from './storage/indexeddb.js';
export type { SegmentStorage, StoredSegmentMeta } from './storage/types.js';
export type { NetworkFactory } from './transport/net.js';
export type * from './types.js';
