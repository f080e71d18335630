/** Child processes for the multi-node and workers tests: redis-server on a free port, tracker CLI nodes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function waitFor(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  re: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${re}; output: ${out}`)), timeoutMs);
    child[stream]?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${re}; output: ${out}`));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function proc(child: ChildProcess): Proc {
  return {
    child,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill(signal);
      }),
  };
}

export async function startRedis(port?: number): Promise<Proc & { url: string; port: number }> {
  const p = port ?? (await freePort());
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await waitFor(child, 'stdout', /Ready to accept connections/, 10_000);
  return { ...proc(child), url: `redis://127.0.0.1:${p}`, port: p };
}

/** Starts `tracker/bin.ts` with `args` and resolves once it prints its URL. */
export async function startTrackerProcess(args: string[]): Promise<Proc & { url: string; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tracker/bin.ts', '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitFor(child, 'stderr', /listening on (ws:\/\/[\d.]+:(\d+))/, 20_000);
  return { ...proc(child), url: m[1] ?? '', port: Number(m[2]) };
}
