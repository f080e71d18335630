/**
 * A throw-away MariaDB server for the WordPress e2e: Debian's mariadb-server binaries, a fresh data directory under
 * the test's temp folder, no system service and no TCP listener (`--skip-networking`: WordPress connects through
 * the Unix socket, which only this machine can reach, and no port can clash with another run).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MariaDb {
  /** Unix socket path (WordPress: DB_HOST = 'localhost:<socket>'). */
  readonly socket: string;
  /** Runs SQL as root through the socket. */
  sql(statements: string): Promise<string>;
  close(): Promise<void>;
}

/** By path: /usr/sbin is not on every PATH (a root shell from `su` without `-`), and Debian puts mariadbd there. */
export const MARIADBD = '/usr/sbin/mariadbd';

/** Bootstraps a data directory in `dir` and starts mariadbd on it; resolves once it answers queries. */
export async function startMariaDb(dir: string): Promise<MariaDb> {
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const errorLog = path.join(dir, 'mysqld.err');
  // Root runs the test in CI; mariadbd refuses to run as root unless told to.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...user,
    ],
    { timeout: 60000 },
  );
  const server: ChildProcess = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--log-error=${errorLog}`,
      '--skip-networking',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      ...user,
    ],
    { stdio: 'ignore' },
  );
  const state = { exited: false };
  server.on('exit', () => {
    state.exited = true;
  });
  const sql = async (statements: string): Promise<string> => {
    const { stdout } = await run('mariadb', ['--no-defaults', '-S', socket, '-u', 'root', '-N', '-e', statements], {
      timeout: 30000,
    });
    return stdout;
  };
  const deadline = Date.now() + 30000;
  for (;;) {
    if (state.exited) throw new Error(`mariadbd exited at start: ${tail(errorLog)}`);
    try {
      await sql('SELECT 1');
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        server.kill('SIGKILL');
        throw new Error(`mariadbd not answering after 30 s (${String(e)}): ${tail(errorLog)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    socket,
    sql,
    async close() {
      if (state.exited) return;
      const gone = new Promise<void>((resolve) => server.once('exit', () => resolve()));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
      await gone;
      clearTimeout(timer);
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '(no error log)';
  }
}
