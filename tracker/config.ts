/**
 * Tracker configuration: one typed defaults object, each key documented once, units in names.
 * Unknown keys are rejected with a readable message (see `resolveConfig`).
 */
import { isAddressOrRange } from './client-ip.js';

export interface TrackerConfig {
  /** TCP port to listen on; 0 picks a free port. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** `interval` sent to clients: how often they re-announce. */
  intervalSec: number;
  /** A peer that has not announced for `intervalSec * peerTimeoutIntervals` is dropped from its swarm. */
  peerTimeoutIntervals: number;
  /** How often expired peers and empty swarms are swept. */
  sweepIntervalMs: number;
  /** Largest accepted WebSocket message; larger ones close the socket (code 1009). */
  maxMessageBytes: number;
  /** Offers relayed per announce at most (extra offers are ignored). */
  maxOffersPerAnnounce: number;
  /** Offers listed in one message at most; more is an invalid request. */
  maxOffersInMessage: number;
  /** Info-hashes in one scrape at most. */
  maxScrapeHashes: number;
  /**
   * Peer_ids one connection may have in its swarms at once (the reference client pools one socket per page).
   * Counts what is current: a `stopped`, an expiry or a close frees the slot.
   */
  maxPeerIdsPerConnection: number;
  /**
   * Peer_ids one connection may have in one swarm at once. One page pools one socket, and two clients of one
   * page rarely join the same swarm; more is a way to fill a swarm with fake peers (× maxConnectionsPerIp per IP).
   */
  maxPeerIdsPerSwarmPerConnection: number;
  /** Swarms one connection may be in at once (current memberships, like maxPeerIdsPerConnection). */
  maxSwarmsPerConnection: number;
  /** How long an offer relayed to a peer may be answered. */
  offerTtlMs: number;
  /**
   * Unanswered offers remembered per offerer (its oldest forgotten first). Kept on the offerer, so only the
   * offerer's own offers can push one of its offers out; nobody else's traffic can make an answer unexpected.
   */
  maxPendingOffersPerPeer: number;
  /**
   * Open WebSocket connections per process at most; further upgrades get 503. A connected peer costs
   * ~11 KB of RSS under live traffic (tracker/README.md), so the default is ~1.1 GB of sockets.
   */
  maxConnections: number;
  /** Open WebSocket connections per client IP (IPv6: per /64) at most (0 = unlimited). */
  maxConnectionsPerIp: number;
  /** TCP connections per remote address that have not upgraded (yet) at most (0 = unlimited). */
  maxPendingUpgradesPerIp: number;
  /** TCP connections that have not upgraded (yet) at most, over all addresses (0 = unlimited). */
  maxPendingUpgrades: number;
  /** A TCP connection that has neither upgraded to WebSocket nor sent an HTTP request within this long is closed. */
  upgradeTimeoutMs: number;
  /**
   * A connection with no peer in any swarm for this long (counted from its last announce or scrape, or its
   * opening) is closed: answering pings is not enough to hold a socket. Checked every `pingIntervalMs`.
   */
  idleTimeoutMs: number;
  /** Swarms this node owns at most; an announce that would start one more is refused ("tracker full"). */
  maxSwarms: number;
  /** Peers in the swarms this node owns at most; an announce of one more is refused ("tracker full"). */
  maxPeers: number;
  /** Sustained messages per second per connection (0 = unlimited). */
  connectionMessagesPerSec: number;
  /** Burst allowance per connection. */
  connectionMessageBurst: number;
  /** Sustained messages per second per remote IP over all its connections (0 = unlimited). */
  ipMessagesPerSec: number;
  /** Burst allowance per remote IP. */
  ipMessageBurst: number;
  /** A connection whose rate budget falls this many messages below zero is closed. */
  rateLimitCloseAfterMessages: number;
  /** Outgoing bytes queued on one socket above which further relays to it are dropped. */
  maxBufferedBytes: number;
  /** Server-side WebSocket ping period; a socket that missed the previous pong is closed. */
  pingIntervalMs: number;
  /** Allowed `Origin` header values; `null` allows any (and a missing) origin. */
  origins: readonly string[] | null;
  /** File of allowed info_hashes (40 hex chars per line, `#` comments); `null` allows any. Reloaded on change. */
  infoHashFile: string | null;
  /**
   * Proxies in front of the tracker that append to `X-Forwarded-For`, counted from the tracker: the client IP
   * is the address that many hops back (1 = the last entry, written by your proxy). 0 ignores the header.
   * Entries left of it are the client's to write and are never used.
   */
  trustProxyHops: number;
  /**
   * Addresses or CIDR ranges of your proxies: the client IP is the nearest address in the chain (socket, then
   * `X-Forwarded-For` right to left) that is not one of them. Empty ignores the header. Not with trustProxyHops.
   */
  trustedProxies: readonly string[];
  /** Let `/stats.json` list info_hashes (off by default: they are private). */
  statsInfoHashes: boolean;
  /** Redis URL to join other tracker nodes (`redis://host:port`); `null` runs node-local. */
  redisUrl: string | null;
  /** Redis key and channel prefix, so several trackers can share one Redis. */
  redisPrefix: string;
  /** Node heartbeat period in Redis. */
  nodeHeartbeatMs: number;
  /** A node whose heartbeat is older than this is dead; its peers leave every swarm. */
  nodeTimeoutMs: number;
  /** Time given to sockets to close on `close()` before they are terminated. */
  shutdownGraceMs: number;
  /**
   * Name of this node; swarm ownership hashes it, so a node restarted under the same name owns the same
   * swarms. Defaults to `<hostname>:<port>` (`<hostname>:<pid>` with port 0). Workers add `-w<index>`.
   */
  nodeId: string | null;
}

export const TRACKER_DEFAULTS: Readonly<TrackerConfig> = Object.freeze({
  port: 8000,
  host: '127.0.0.1',
  intervalSec: 120,
  peerTimeoutIntervals: 2,
  sweepIntervalMs: 30_000,
  maxMessageBytes: 64 * 1024,
  maxOffersPerAnnounce: 10,
  maxOffersInMessage: 100,
  maxScrapeHashes: 64,
  maxPeerIdsPerConnection: 16,
  maxPeerIdsPerSwarmPerConnection: 2,
  maxSwarmsPerConnection: 256,
  offerTtlMs: 60_000,
  maxPendingOffersPerPeer: 100,
  maxConnections: 100_000,
  maxConnectionsPerIp: 256,
  maxPendingUpgradesPerIp: 64,
  maxPendingUpgrades: 4096,
  upgradeTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxSwarms: 100_000,
  maxPeers: 1_000_000,
  connectionMessagesPerSec: 20,
  connectionMessageBurst: 100,
  ipMessagesPerSec: 500,
  ipMessageBurst: 2000,
  rateLimitCloseAfterMessages: 200,
  maxBufferedBytes: 1024 * 1024,
  pingIntervalMs: 30_000,
  origins: null,
  infoHashFile: null,
  trustProxyHops: 0,
  trustedProxies: [],
  statsInfoHashes: false,
  redisUrl: null,
  redisPrefix: 'swarmcast:',
  nodeHeartbeatMs: 1000,
  nodeTimeoutMs: 4000,
  shutdownGraceMs: 1000,
  nodeId: null,
});

export interface ConfigError {
  type: 'config';
  message: string;
}

const NULLABLE_STRING_KEYS = new Set<keyof TrackerConfig>(['infoHashFile', 'redisUrl', 'nodeId']);

/** Merges `options` over the defaults; returns a readable error for unknown keys or wrong types. */
export function resolveConfig(options: Record<string, unknown> = {}): TrackerConfig | ConfigError {
  const known = Object.keys(TRACKER_DEFAULTS);
  const out: Record<string, unknown> = { ...TRACKER_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!known.includes(key)) {
      return { type: 'config', message: `unknown tracker option "${key}"; known options: ${known.join(', ')}` };
    }
    const def = (TRACKER_DEFAULTS as unknown as Record<string, unknown>)[key];
    if (key === 'origins') {
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        return { type: 'config', message: 'option "origins" must be an array of strings or null' };
      }
    } else if (key === 'trustedProxies') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && isAddressOrRange(v))) {
        return {
          type: 'config',
          message: `option "trustedProxies" must be an array of IP addresses or CIDR ranges, got ${JSON.stringify(value)}`,
        };
      }
    } else if (NULLABLE_STRING_KEYS.has(key as keyof TrackerConfig)) {
      if (value !== null && typeof value !== 'string') {
        return { type: 'config', message: `option "${key}" must be a string or null` };
      }
    } else if (typeof def === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        return {
          type: 'config',
          message: `option "${key}" must be a non-negative number, got ${JSON.stringify(value)}`,
        };
      }
    } else if (typeof value !== typeof def) {
      return { type: 'config', message: `option "${key}" must be a ${typeof def}, got ${typeof value}` };
    }
    out[key] = value;
  }
  const cfg = out as unknown as TrackerConfig;
  if (cfg.intervalSec < 1) return { type: 'config', message: 'option "intervalSec" must be at least 1' };
  if (cfg.maxMessageBytes < 1024) return { type: 'config', message: 'option "maxMessageBytes" must be ≥ 1024' };
  if (!Number.isInteger(cfg.trustProxyHops))
    return { type: 'config', message: 'option "trustProxyHops" must be an integer' };
  if (cfg.trustProxyHops > 0 && cfg.trustedProxies.length > 0) {
    return { type: 'config', message: 'options "trustProxyHops" and "trustedProxies" exclude each other: use one' };
  }
  for (const key of ['maxConnections', 'maxSwarms', 'maxPeers', 'pingIntervalMs', 'idleTimeoutMs'] as const) {
    if (cfg[key] < 1) return { type: 'config', message: `option "${key}" must be at least 1` };
  }
  return cfg;
}

export function isConfigError(v: unknown): v is ConfigError {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'config';
}
