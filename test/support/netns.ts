/**
 * Network namespaces made by the tests themselves, for browsers that need a network interface other than
 * loopback. Firefox gathers no ICE candidate on loopback alone (whatever its loopback preferences), so a
 * WebRTC test in Firefox runs — with everything its pages reach (origin, tracker, Karma) — in a namespace of its
 * own: loopback up, plus one veth pair whose two ends both stay inside the namespace, one end (sc0) holding a
 * private /30 address. Firefox only gathers host candidates on the interface of the default route, so the
 * namespace's default route points at sc0: a packet for any other address goes to sc1, which is in the same
 * namespace, holds no address and forwards nothing (a new namespace has forwarding off), so it ends there. No
 * interface of the namespace is linked to the host: traffic stays on the namespace's 127.0.0.0/8 or that
 * address and can never reach the machine's real interface.
 *
 * Needs root (CI runs as root). The namespace is removed when the command run in it ends, on SIGINT/SIGTERM,
 * and namespaces left by a run that was killed harder are removed by the next run (their owner pid is gone).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const IP = process.env.SWARMCAST_IP_BIN ?? 'ip';
const PREFIX = 'swarmcast-t';
/** Set in processes started inside a namespace by `runInNetns` (its name). */
export const NETNS_ENV = 'SWARMCAST_NETNS';
/** The address the veth end inside the namespace holds (private, never routed anywhere). */
export const NETNS_ADDRESS = '10.201.0.1';

export interface Netns {
  readonly name: string;
  /** Prefix that runs a command inside the namespace: `[...exec, cmd, ...args]`. */
  readonly exec: readonly string[];
  destroy(): Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces of earlier runs whose process is gone (a SIGKILLed run cannot clean up after itself). */
async function removeStale(): Promise<void> {
  const { stdout } = await run(IP, ['netns', 'list']);
  for (const line of stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (m && !pidAlive(Number(m[1]))) await run(IP, ['netns', 'del', name]).catch(() => undefined);
  }
}

let counter = 0;

/** Creates a namespace (see the file comment). Throws a readable error when `ip netns` is not allowed. */
export async function createNetns(): Promise<Netns> {
  const name = `${PREFIX}${process.pid}-${counter++}`;
  const ip = (...args: string[]): Promise<unknown> => run(IP, ['-n', name, ...args]);
  try {
    await removeStale();
    await run(IP, ['netns', 'add', name]);
  } catch (e) {
    throw new Error(
      `cannot create network namespace ${name} (needs root and iproute2; Firefox needs it for WebRTC): ${String(e)}`,
    );
  }
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    process.off('exit', destroySync);
    await run(IP, ['netns', 'del', name]).catch(() => undefined);
  };
  // Last resort on a normal exit of this process: `ip netns del` synchronously.
  const destroySync = (): void => {
    if (destroyed) return;
    destroyed = true;
    try {
      execFileSync(IP, ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  process.on('exit', destroySync);
  try {
    await ip('link', 'set', 'lo', 'up');
    // A dummy interface would do, but not every kernel has the module; a veth pair kept whole inside does.
    await ip('link', 'add', 'sc0', 'type', 'veth', 'peer', 'name', 'sc1');
    await ip('addr', 'add', `${NETNS_ADDRESS}/30`, 'dev', 'sc0');
    await ip('link', 'set', 'sc0', 'up');
    await ip('link', 'set', 'sc1', 'up');
    await ip('route', 'add', 'default', 'dev', 'sc0');
  } catch (e) {
    await destroy();
    throw new Error(`cannot set up network namespace ${name}: ${String(e)}`);
  }
  return { name, exec: [IP, 'netns', 'exec', name], destroy };
}

/**
 * Runs `command args` inside a new namespace with stdio inherited (and `SWARMCAST_NETNS` set), then removes the
 * namespace. Resolves with the exit code. SIGINT/SIGTERM to this process reach the child, then clean up.
 */
export async function runInNetns(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ns = await createNetns();
  let child: ChildProcess | undefined;
  const forward = (signal: NodeJS.Signals): void => {
    child?.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child = spawn(ns.exec[0] ?? IP, [...ns.exec.slice(1), command, ...args], {
        stdio: 'inherit',
        env: { ...env, [NETNS_ENV]: ns.name },
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    await ns.destroy();
  }
}

/** Whether this process runs inside a namespace made by `runInNetns`. */
export function insideNetns(): boolean {
  return (process.env[NETNS_ENV] ?? '') !== '';
}

/**
 * For a node:test file that must run inside a namespace: in the process the test runner started, re-runs this
 * same file (same Node flags, same environment, so its report reaches the runner unchanged) inside a new
 * namespace and returns false; inside, returns true and the file defines its tests.
 */
export async function reexecInNetns(): Promise<boolean> {
  if (insideNetns()) return true;
  const script = process.argv[1];
  if (!script) throw new Error('reexecInNetns: no script path in process.argv');
  process.exitCode = await runInNetns(process.execPath, [...process.execArgv, script, ...process.argv.slice(2)]);
  return false;
}
