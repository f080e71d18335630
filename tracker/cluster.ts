/**
 * `--workers N`: N worker processes share the listening port through Node `cluster` (the primary
 * round-robins accepted sockets). Swarm state is sharded by info_hash across workers (rendezvous hashing,
 * see router.ts); workers forward requests and replies to each other over a Unix-socket mesh
 * (mesh-bus.ts). With `--redis`, each worker instead joins Redis as its own node.
 *
 * Worker `i` is named `w<i>` for life: a crashed worker is restarted under the same name (a new
 * incarnation), so it takes back its own swarms and the survivors keep theirs. `/metrics` on any worker
 * asks the primary, which merges every worker's registry (prom-client's AggregatorRegistry).
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import type { TrackerConfig } from './config.js';
import { MeshBus, type MeshMember } from './mesh-bus.js';
import { createTracker, type TrackerServer } from './server.js';

const ENV_CONFIG = 'SWARMCAST_TRACKER_CONFIG';
const ENV_INDEX = 'SWARMCAST_WORKER_INDEX';
const ENV_INCARNATION = 'SWARMCAST_WORKER_INCARNATION';
const ENV_MESH_DIR = 'SWARMCAST_MESH_DIR';
/** A worker waits this long for the group's metrics before serving its own. */
const GROUP_METRICS_TIMEOUT_MS = 5000;

type ToWorker =
  | { type: 'members'; members: MeshMember[] }
  | { type: 'shutdown' }
  | { type: 'group-metrics'; id: number; text: string | null };
type ToPrimary =
  | { type: 'ready'; id: string; path: string | null; url: string; port: number }
  | { type: 'fatal'; message: string }
  | { type: 'group-metrics'; id: number };

function isMessage<T extends { type: string }>(m: unknown, types: readonly T['type'][]): m is T {
  return typeof m === 'object' && m !== null && types.includes((m as { type: string }).type);
}

export interface ClusterHandle {
  /** Port shared by the workers. */
  port: number;
  url: string;
  workers: number;
  close(): Promise<void>;
}

/** Primary side: forks `n` workers, keeps the member list, restarts crashed workers under their name. */
export function startCluster(
  options: Partial<TrackerConfig>,
  n: number,
  log: (m: string) => void,
): Promise<ClusterHandle> {
  const meshDir = mkdtempSync(join(tmpdir(), 'swarmcast-mesh-'));
  const members = new Map<Worker, MeshMember>();
  const aggregator = new AggregatorRegistry();
  let incarnation = 0;
  let closing = false;
  cluster.setupPrimary({ silent: false });

  const broadcast = (): void => {
    const msg: ToWorker = { type: 'members', members: [...members.values()] };
    for (const w of members.keys()) if (w.isConnected()) w.send(msg);
  };

  return new Promise((resolve, reject) => {
    let readyCount = 0;
    let first: { url: string; port: number } | null = null;
    const fork = (index: number): void => {
      const w = cluster.fork({
        [ENV_CONFIG]: JSON.stringify(options),
        [ENV_INDEX]: String(index),
        [ENV_INCARNATION]: String(incarnation++),
        [ENV_MESH_DIR]: meshDir,
      });
      w.on('message', (m: unknown) => {
        if (!isMessage<ToPrimary>(m, ['ready', 'fatal', 'group-metrics'])) return;
        if (m.type === 'fatal') {
          reject(new Error(m.message));
          return;
        }
        if (m.type === 'group-metrics') {
          const answer = (text: string | null): void => {
            if (w.isConnected()) w.send({ type: 'group-metrics', id: m.id, text } satisfies ToWorker);
          };
          aggregator.clusterMetrics().then(answer, () => answer(null));
          return;
        }
        if (m.path) members.set(w, { id: m.id, path: m.path });
        broadcast();
        first ??= { url: m.url, port: m.port };
        if (++readyCount === n) resolve(handle(first));
      });
      w.on('exit', (code) => {
        members.delete(w);
        broadcast();
        if (!closing) {
          log(`worker w${index} exited (${code}); restarting it as w${index}`);
          fork(index);
        }
      });
    };
    const handle = (f: { url: string; port: number }): ClusterHandle => ({
      port: f.port,
      url: f.url,
      workers: n,
      close: async () => {
        closing = true;
        const exits = [...members.keys()].map((w) => new Promise<void>((r) => w.once('exit', () => r())));
        for (const w of members.keys()) if (w.isConnected()) w.send({ type: 'shutdown' } satisfies ToWorker);
        await Promise.race([Promise.all(exits), new Promise((r) => setTimeout(r, 5000))]);
        for (const w of members.keys()) w.process.kill('SIGKILL');
        rmSync(meshDir, { recursive: true, force: true });
      },
    });
    for (let i = 0; i < n; i++) fork(i);
  });
}

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[ENV_CONFIG] !== undefined;
}

/** Asks the primary for the whole group's metrics; falls back to this worker's own. */
function groupMetrics(local: () => Promise<string>): () => Promise<string> {
  let nextId = 0;
  const waiting = new Map<number, (text: string | null) => void>();
  process.on('message', (m: unknown) => {
    if (!isMessage<ToWorker>(m, ['group-metrics']) || m.type !== 'group-metrics') return;
    waiting.get(m.id)?.(m.text);
  });
  return () =>
    new Promise<string | null>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => done(null), GROUP_METRICS_TIMEOUT_MS);
      const done = (text: string | null): void => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(text);
      };
      waiting.set(id, done);
      process.send?.({ type: 'group-metrics', id } satisfies ToPrimary);
    }).then(async (text) => text ?? `# group metrics unavailable: this worker only\n${await local()}`);
}

/** Worker side: starts one tracker on the shared port, joined to the others through the mesh (or Redis). */
export async function runWorker(): Promise<TrackerServer> {
  const options = JSON.parse(process.env[ENV_CONFIG] ?? '{}') as Partial<TrackerConfig>;
  const index = process.env[ENV_INDEX] ?? '0';
  const incarnation = process.env[ENV_INCARNATION] ?? '0';
  const meshDir = process.env[ENV_MESH_DIR] ?? tmpdir();
  const send = (m: ToPrimary): void => {
    process.send?.(m);
  };
  let mesh: MeshBus | null = null;
  if (options.redisUrl) {
    options.nodeId = `${options.nodeId ?? `${hostname()}:${options.port ?? 0}`}-w${index}`;
  } else {
    mesh = new MeshBus(`w${index}#${incarnation}`, join(meshDir, `w${index}-${incarnation}.sock`));
  }
  let local: () => Promise<string> = () => Promise.resolve('');
  let tracker: TrackerServer;
  try {
    tracker = await createTracker(options, {
      ...(mesh ? { bus: mesh } : {}),
      groupMetrics: groupMetrics(() => local()),
    });
  } catch (err) {
    send({ type: 'fatal', message: (err as Error).message });
    process.exit(1);
  }
  local = () => tracker.metrics.render();
  // Answers the primary's requests for this worker's metrics (prom-client's cluster protocol).
  AggregatorRegistry.setRegistries([tracker.metrics.registry]);
  new AggregatorRegistry();
  process.on('message', (m: unknown) => {
    if (!isMessage<ToWorker>(m, ['members', 'shutdown'])) return;
    if (m.type === 'members') mesh?.setMembers(m.members);
    else if (m.type === 'shutdown')
      void tracker.close().then(() => {
        process.exit(0);
      });
  });
  send({
    type: 'ready',
    id: mesh?.selfId ?? tracker.nodeId,
    path: mesh?.path ?? null,
    url: tracker.url,
    port: tracker.port,
  });
  return tracker;
}
