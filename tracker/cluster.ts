/**
 * `--workers N`: N worker processes share the listening port through Node `cluster` (the primary
 * round-robins accepted sockets). Swarm state is sharded by info_hash across workers (rendezvous hashing,
 * see router.ts); workers forward requests and replies to each other over a Unix-socket mesh
 * (mesh-bus.ts). With `--redis`, each worker instead joins Redis as its own node.
 */
import cluster, { type Worker } from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackerConfig } from './config.js';
import { MeshBus, type MeshMember } from './mesh-bus.js';
import { createTracker, type TrackerServer } from './server.js';

const ENV_CONFIG = 'SWARMCAST_TRACKER_CONFIG';
const ENV_INDEX = 'SWARMCAST_WORKER_INDEX';
const ENV_MESH_DIR = 'SWARMCAST_MESH_DIR';

type ToWorker = { type: 'members'; members: MeshMember[] } | { type: 'shutdown' };
type ToPrimary =
  { type: 'ready'; id: string; path: string | null; url: string; port: number } | { type: 'fatal'; message: string };

export interface ClusterHandle {
  /** Port shared by the workers. */
  port: number;
  url: string;
  workers: number;
  close(): Promise<void>;
}

/** Primary side: forks `n` workers, keeps the member list, restarts crashed workers. */
export function startCluster(
  options: Partial<TrackerConfig>,
  n: number,
  log: (m: string) => void,
): Promise<ClusterHandle> {
  const meshDir = mkdtempSync(join(tmpdir(), 'swarmcast-mesh-'));
  const members = new Map<Worker, MeshMember>();
  let generation = 0;
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
        [ENV_INDEX]: `${index}.${generation++}`,
        [ENV_MESH_DIR]: meshDir,
      });
      w.on('message', (m: ToPrimary) => {
        if (m.type === 'fatal') {
          reject(new Error(m.message));
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
          log(`worker ${index} exited (${code}); restarting`);
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

/** Worker side: starts one tracker on the shared port, joined to the others through the mesh (or Redis). */
export async function runWorker(): Promise<TrackerServer> {
  const options = JSON.parse(process.env[ENV_CONFIG] ?? '{}') as Partial<TrackerConfig>;
  const index = process.env[ENV_INDEX] ?? '0';
  const meshDir = process.env[ENV_MESH_DIR] ?? tmpdir();
  const send = (m: ToPrimary): void => {
    process.send?.(m);
  };
  let mesh: MeshBus | null = null;
  if (!options.redisUrl) {
    mesh = new MeshBus(`w${index}`, join(meshDir, `w${index}.sock`));
  }
  let tracker: TrackerServer;
  try {
    tracker = await createTracker(options, mesh ? { bus: mesh } : {});
  } catch (err) {
    send({ type: 'fatal', message: (err as Error).message });
    process.exit(1);
  }
  process.on('message', (m: ToWorker) => {
    if (m.type === 'members') mesh?.setMembers(m.members);
    else
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
