/** Starts the trackers under test as child processes and samples their CPU time and RSS from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLK_TCK = 100;

export interface ServerProc {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export type Target = 'swarmcast' | 'bittorrent-tracker';

/**
 * `extraArgs` go to our tracker only (e.g. `--redis URL`, `--max-peer-ids-per-swarm N`); `label` is appended
 * to its name in the tables.
 */
export function startServer(
  target: Target,
  workers: number,
  extraArgs: string[] = [],
  label = '',
): Promise<ServerProc> {
  const args =
    target === 'swarmcast'
      ? [
          '--import',
          'tsx',
          'tracker/bin.ts',
          '--port',
          '0',
          '--workers',
          String(workers),
          '--max-connections-per-ip',
          '0',
          '--connection-rate',
          '0',
          '--ip-rate',
          '0',
          // The load comes from 8 loopback addresses, an audience from as many as it has viewers.
          '--max-pending-upgrades-per-ip',
          '0',
          '--max-offers',
          '10',
          ...extraArgs,
        ]
      : ['--import', 'tsx', 'bench/tracker/bt-server.ts'];
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=4096', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), ...args],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const name =
    target === 'swarmcast'
      ? `swarmcast${workers > 1 ? ` --workers ${workers}` : ''}${label}`
      : 'bittorrent-tracker 10.0.12';
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 30_000);
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/[\d.]+:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        out = '';
        resolve({
          name,
          url: m[1],
          child,
          stop: () =>
            new Promise((r) => {
              if (child.exitCode !== null) {
                r();
                return;
              }
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(kill);
                r();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${out}`));
    });
  });
}

function pidTree(pid: number): number[] {
  const out = [pid];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    for (const k of kids) out.push(...pidTree(k));
  } catch {
    // process gone
  }
  return out;
}

export interface ProcSample {
  cpuSec: number;
  rssBytes: number;
  atMs: number;
}

/** CPU seconds (user+system) and RSS summed over a process and its descendants (cluster workers). */
export function sample(pid: number): ProcSample {
  let ticks = 0;
  let rss = 0;
  for (const p of pidTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rss += Number(m?.[1] ?? 0) * 1024;
    } catch {
      // process gone
    }
  }
  return { cpuSec: ticks / CLK_TCK, rssBytes: rss, atMs: Date.now() };
}

/** A throwaway redis-server on a free port (Debian's), for `--redis` targets. */
export async function startRedis(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGKILL');
      }),
  };
}
