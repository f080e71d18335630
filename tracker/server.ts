/**
 * `createTracker(options)`: one HTTP server carrying the WebSocket tracker, `/metrics`, `/health` and
 * `/stats.json`. Runs alone with no other service; joins other nodes through a `Bus` (Redis, or the
 * worker mesh from `cluster.ts`) when one is configured.
 */
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { performance as perf } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { InfoHashAllowList } from './allowlist.js';
import { isConfigError, resolveConfig, type TrackerConfig } from './config.js';
import { Gateway } from './connections.js';
import { handleHttp } from './http.js';
import { TrackerMetrics } from './metrics.js';
import { Router, type Bus } from './router.js';

export interface TrackerStats {
  connections: number;
  /** TCP connections that have not upgraded to WebSocket (yet). */
  pendingUpgrades: number;
  peers: number;
  swarms: number;
  busHealthy: boolean;
  /** Live tracker nodes this node sees (1 when alone or degraded). */
  nodes: number;
}

export interface TrackerServer {
  /** `ws://host:port` to give clients as announce URL. */
  readonly url: string;
  readonly port: number;
  readonly nodeId: string;
  readonly config: Readonly<TrackerConfig>;
  readonly metrics: TrackerMetrics;
  stats(): TrackerStats;
  /** Re-reads the info-hash allow-list file; false if it could not be loaded (the old list stays). */
  reloadAllowList(): boolean;
  /** Graceful shutdown: closes sockets (1001), timers, the bus and the HTTP server. Idempotent. */
  close(): Promise<void>;
}

export interface TrackerDeps {
  /** A ready-made bus (the worker mesh); otherwise one is created from `redisUrl`, or none. */
  bus?: Bus;
  /** Receives non-fatal operational errors (allow-list reload, bus trouble). Defaults to stderr. */
  onWarning?: (message: string) => void;
  /** Clock for limits, idle checks and expiry, in ms (tests pass a fake one). Defaults to `Date.now`. */
  now?: () => number;
  /** `/metrics` text for a whole process group (`--workers`); defaults to this process's registry. */
  groupMetrics?: () => Promise<string>;
}

export class TrackerError extends Error {
  constructor(
    readonly type: 'config' | 'listen',
    message: string,
  ) {
    super(message);
  }
}

export async function createTracker(
  options: Partial<TrackerConfig> = {},
  deps: TrackerDeps = {},
): Promise<TrackerServer> {
  const cfg = resolveConfig(options);
  if (isConfigError(cfg)) throw new TrackerError('config', cfg.message);
  const warn =
    deps.onWarning ??
    ((m: string) => {
      process.stderr.write(`swarmcast-tracker: ${m}\n`);
    });
  const now = deps.now ?? Date.now;
  // The name decides which swarms this node owns (stable across restarts); the suffix tells incarnations apart.
  const nodeId =
    deps.bus?.selfId ?? `${cfg.nodeId ?? `${hostname()}:${cfg.port || process.pid}`}#${randomBytes(3).toString('hex')}`;
  const metrics = new TrackerMetrics();

  const allowList = cfg.infoHashFile ? new InfoHashAllowList(cfg.infoHashFile, (e) => warn(e.message)) : null;
  const gateway = new Gateway(cfg, metrics, allowList ? (h) => allowList.has(h) : () => true, now);

  let bus: Bus | null = deps.bus ?? null;
  if (!bus && cfg.redisUrl) {
    const { RedisBus } = await import('./redis-bus.js');
    bus = new RedisBus(cfg, nodeId, warn);
  }
  const router = new Router(
    cfg,
    (conn, frame, kind, r) => {
      gateway.deliver(conn, frame, kind, r);
    },
    bus,
    metrics,
    nodeId,
    now,
  );
  gateway.router = router;
  const engine = router.engine;

  metrics.addGauge({
    name: 'swarmcast_tracker_connections',
    help: 'Open WebSocket connections',
    read: () => gateway.connectionCount,
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_peers',
    help: 'Peers in swarms owned by this node',
    read: () => engine.peers,
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_swarms',
    help: 'Swarms owned by this node',
    read: () => engine.swarmCount,
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_pending_upgrades',
    help: 'TCP connections not upgraded to WebSocket yet',
    read: () => gateway.pendingUpgrades,
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_tracked_ips',
    help: 'Client IPs (IPv6: /64s) whose limiter state is kept',
    read: () => gateway.trackedIps,
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_nodes',
    help: 'Live tracker nodes seen by this node',
    read: () => bus?.nodes().length ?? 1,
    aggregator: 'max',
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_bus_up',
    help: '1 when the node bus works (or none is used)',
    read: () => (bus && !bus.healthy() ? 0 : 1),
    aggregator: 'min',
  });
  let elu = perf.eventLoopUtilization();
  metrics.addGauge({
    name: 'swarmcast_tracker_event_loop_utilization',
    help: 'Share of time the event loop was busy since the previous scrape (1 = saturated)',
    read: () => {
      const since = perf.eventLoopUtilization(elu);
      elu = perf.eventLoopUtilization();
      return since.utilization;
    },
    aggregator: 'average',
  });
  metrics.addGauge({
    name: 'swarmcast_tracker_rejections',
    help: 'Swarm-level rejections since start, by type',
    read: () => Object.fromEntries(engine.rejections),
  });

  const stats = (): TrackerStats => ({
    connections: gateway.connectionCount,
    pendingUpgrades: gateway.pendingUpgrades,
    peers: engine.peers,
    swarms: engine.swarmCount,
    busHealthy: bus ? bus.healthy() : true,
    nodes: bus?.nodes().length ?? 1,
  });

  const server: Server = createServer((req, res) => {
    // A plain HTTP request (metrics, health): Node's own keep-alive and request timeouts govern it from here.
    gateway.httpRequest(req.socket);
    handleHttp(req, res, {
      metricsText: deps.groupMetrics ?? (() => metrics.render()),
      health: () => ({ ok: true, nodeId, pid: process.pid, ...stats() }),
      stats: () => ({ ...stats() }),
      swarmStats: cfg.statsInfoHashes ? () => engine.swarmStats() : null,
    });
  });
  server.on('connection', (socket) => {
    gateway.acceptTcp(socket);
  });
  server.on('upgrade', (req, socket, head) => {
    gateway.handleUpgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => {
    socket.destroy();
  });

  const sweepTimer = setInterval(() => {
    engine.sweep();
  }, cfg.sweepIntervalMs);
  sweepTimer.unref();

  if (bus) await bus.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => {
      reject(new TrackerError('listen', `cannot listen on ${cfg.host}:${cfg.port}: ${err.message}`));
    });
    server.listen(cfg.port, cfg.host, () => {
      resolve();
    });
  }).catch(async (err: unknown) => {
    clearInterval(sweepTimer);
    allowList?.destroy();
    await bus?.destroy();
    throw err;
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const hostForUrl = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;

  let closed: Promise<void> | null = null;
  return {
    url: `ws://${hostForUrl}:${port}`,
    port,
    nodeId,
    config: cfg,
    metrics,
    stats,
    reloadAllowList: () => allowList?.reload() ?? false,
    close: () => {
      closed ??= (async () => {
        clearInterval(sweepTimer);
        allowList?.destroy();
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await gateway.close();
        await bus?.destroy();
        engine.clear();
        server.closeAllConnections();
        await serverClosed;
      })();
      return closed;
    },
  };
}
