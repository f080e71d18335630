#!/usr/bin/env node
/** `swarmcast-tracker` CLI (`npm run tracker -- --help`). */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { TRACKER_DEFAULTS, type TrackerConfig } from './config.js';
import { isClusterWorker, runWorker, startCluster } from './cluster.js';
import { createTracker } from './server.js';

const HELP = `swarmcast-tracker — WebTorrent-compatible WebSocket tracker

Usage: swarmcast-tracker [options]

  --port N                 listen port (default ${TRACKER_DEFAULTS.port}; 0 = any free port)
  --host ADDR              listen address (default ${TRACKER_DEFAULTS.host})
  --workers N              worker processes sharing the port; swarms sharded by info_hash (default 1)
  --redis URL              join other tracker nodes through Redis (e.g. redis://10.0.0.5:6379)
  --redis-prefix STR       Redis key/channel prefix (default ${TRACKER_DEFAULTS.redisPrefix})
  --interval-sec N         announce interval sent to clients (default ${TRACKER_DEFAULTS.intervalSec})
  --origins A,B            allowed Origin headers (default: any)
  --info-hash-file PATH    allowed info_hashes, 40 hex chars per line; reloaded on change and SIGHUP
  --max-connections N      WebSocket connections per process (default ${TRACKER_DEFAULTS.maxConnections})
  --max-connections-per-ip N   per client IP, IPv6 per /64 (default ${TRACKER_DEFAULTS.maxConnectionsPerIp}; 0 = unlimited)
  --max-swarms N           swarms owned by one node (default ${TRACKER_DEFAULTS.maxSwarms})
  --max-peers N            peers in the swarms owned by one node (default ${TRACKER_DEFAULTS.maxPeers})
  --max-peer-ids N         peer_ids one connection may have in its swarms (default ${TRACKER_DEFAULTS.maxPeerIdsPerConnection})
  --max-peer-ids-per-swarm N   peer_ids one connection may have in one swarm (default ${TRACKER_DEFAULTS.maxPeerIdsPerSwarmPerConnection})
  --upgrade-timeout-ms N   TCP connections must upgrade within this (default ${TRACKER_DEFAULTS.upgradeTimeoutMs})
  --max-pending-upgrades-per-ip N   not-yet-upgraded connections per address (default ${TRACKER_DEFAULTS.maxPendingUpgradesPerIp})
  --idle-timeout-ms N      close connections with no peer in any swarm this long (default ${TRACKER_DEFAULTS.idleTimeoutMs})
  --connection-rate N      messages/s per connection (default ${TRACKER_DEFAULTS.connectionMessagesPerSec}; 0 = unlimited)
  --ip-rate N              messages/s per IP (default ${TRACKER_DEFAULTS.ipMessagesPerSec}; 0 = unlimited)
  --max-offers N           offers relayed per announce (default ${TRACKER_DEFAULTS.maxOffersPerAnnounce})
  --ping-interval-ms N     server WebSocket ping period (default ${TRACKER_DEFAULTS.pingIntervalMs})
  --trust-proxy N|LIST     behind proxies: N = proxy hops that append X-Forwarded-For (1 = your one proxy),
                           or a comma-separated list of proxy addresses / CIDR ranges
  --stats-info-hashes      list info_hashes in /stats.json (off: they are private)
  --node-id ID             node name in multi-node mode
  --node-heartbeat-ms N    Redis heartbeat period (default ${TRACKER_DEFAULTS.nodeHeartbeatMs})
  --node-timeout-ms N      a node silent this long is dead (default ${TRACKER_DEFAULTS.nodeTimeoutMs})
  -h, --help               this help

HTTP: /metrics (Prometheus), /health, /stats.json. Any other path upgrades to the tracker WebSocket.
`;

function num(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${v}"`);
  return n;
}

/** `--trust-proxy 1` (hops) or `--trust-proxy 10.0.0.1,10.1.0.0/16` (proxies). */
function trustProxy(v: string | undefined): Pick<Partial<TrackerConfig>, 'trustProxyHops' | 'trustedProxies'> {
  if (v === undefined) return {};
  if (/^\d+$/.test(v)) return { trustProxyHops: Number(v) };
  return { trustedProxies: v.split(',').map((s) => s.trim()) };
}

function parse(argv: string[]): { options: Partial<TrackerConfig>; workers: number } | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      workers: { type: 'string' },
      redis: { type: 'string' },
      'redis-prefix': { type: 'string' },
      'interval-sec': { type: 'string' },
      origins: { type: 'string' },
      'info-hash-file': { type: 'string' },
      'max-connections': { type: 'string' },
      'max-connections-per-ip': { type: 'string' },
      'connection-rate': { type: 'string' },
      'ip-rate': { type: 'string' },
      'max-offers': { type: 'string' },
      'ping-interval-ms': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'max-swarms': { type: 'string' },
      'max-peers': { type: 'string' },
      'max-peer-ids': { type: 'string' },
      'max-peer-ids-per-swarm': { type: 'string' },
      'upgrade-timeout-ms': { type: 'string' },
      'max-pending-upgrades-per-ip': { type: 'string' },
      'idle-timeout-ms': { type: 'string' },
      'stats-info-hashes': { type: 'boolean' },
      'node-id': { type: 'string' },
      'node-heartbeat-ms': { type: 'string' },
      'node-timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  const options: Partial<TrackerConfig> = {
    port: num(values.port, 'port'),
    host: values.host,
    redisUrl: values.redis,
    redisPrefix: values['redis-prefix'],
    intervalSec: num(values['interval-sec'], 'interval-sec'),
    origins: values.origins?.split(',').map((s) => s.trim()),
    infoHashFile: values['info-hash-file'],
    maxConnections: num(values['max-connections'], 'max-connections'),
    maxConnectionsPerIp: num(values['max-connections-per-ip'], 'max-connections-per-ip'),
    connectionMessagesPerSec: num(values['connection-rate'], 'connection-rate'),
    ipMessagesPerSec: num(values['ip-rate'], 'ip-rate'),
    maxOffersPerAnnounce: num(values['max-offers'], 'max-offers'),
    pingIntervalMs: num(values['ping-interval-ms'], 'ping-interval-ms'),
    ...trustProxy(values['trust-proxy']),
    maxSwarms: num(values['max-swarms'], 'max-swarms'),
    maxPeers: num(values['max-peers'], 'max-peers'),
    maxPeerIdsPerConnection: num(values['max-peer-ids'], 'max-peer-ids'),
    maxPeerIdsPerSwarmPerConnection: num(values['max-peer-ids-per-swarm'], 'max-peer-ids-per-swarm'),
    upgradeTimeoutMs: num(values['upgrade-timeout-ms'], 'upgrade-timeout-ms'),
    maxPendingUpgradesPerIp: num(values['max-pending-upgrades-per-ip'], 'max-pending-upgrades-per-ip'),
    idleTimeoutMs: num(values['idle-timeout-ms'], 'idle-timeout-ms'),
    statsInfoHashes: values['stats-info-hashes'],
    nodeId: values['node-id'],
    nodeHeartbeatMs: num(values['node-heartbeat-ms'], 'node-heartbeat-ms'),
    nodeTimeoutMs: num(values['node-timeout-ms'], 'node-timeout-ms'),
  };
  return {
    // undefined values are skipped by resolveConfig and JSON (worker config)
    options,
    workers: num(values.workers, 'workers') ?? 1,
  };
}

function onSignals(close: () => Promise<void>, reload: () => void): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);
}

async function main(): Promise<void> {
  if (isClusterWorker()) {
    const t = await runWorker();
    process.on('SIGHUP', () => t.reloadAllowList());
    // The primary coordinates shutdown; ignore terminal signals delivered to the process group.
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => undefined);
    return;
  }
  let parsed;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (!parsed) {
    process.stdout.write(HELP);
    return;
  }
  const log = (m: string): void => {
    process.stderr.write(`swarmcast-tracker: ${m}\n`);
  };
  if (parsed.workers > 1 && cluster.isPrimary) {
    const c = await startCluster(parsed.options, Math.floor(parsed.workers), log);
    log(`listening on ${c.url} with ${c.workers} workers`);
    onSignals(
      () => c.close(),
      () => {
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGHUP');
      },
    );
    return;
  }
  const t = await createTracker(parsed.options);
  log(`listening on ${t.url} (node ${t.nodeId})${parsed.options.redisUrl ? ' via redis' : ''}`);
  onSignals(
    () => t.close(),
    () => {
      log(t.reloadAllowList() ? 'allow-list reloaded' : 'allow-list reload failed; keeping the old list');
    },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`swarmcast-tracker: ${(err as Error).message}\n`);
  process.exit(1);
});
