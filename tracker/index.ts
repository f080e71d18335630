/**
 * swarmcast tracker: a hardened, observable, multi-core and multi-node WebTorrent WebSocket tracker.
 *
 * @module swarmcast-tracker
 */
export { createTracker, TrackerError } from './server.js';
export type { TrackerServer, TrackerStats, TrackerDeps } from './server.js';
export { TRACKER_DEFAULTS, resolveConfig } from './config.js';
export type { TrackerConfig, ConfigError } from './config.js';
export { ownerOf } from './router.js';
export type { Bus, BusEnvelope } from './router.js';
export { parseRequest, idToHex, hexToId, isId } from './protocol.js';
