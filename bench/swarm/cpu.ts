/**
 * CPU time used during a pass, from Linux's /proc: by Chromium (every process under the browser this process
 * launched: renderers, network service, GPU) and by this process (origin and tracker). Ten players share two
 * cores, so a pass that needs more CPU makes every viewer slower, the newcomer's startup included; these figures
 * show how much more each pass needed. Elsewhere than Linux they are undefined.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux this runs on (`getconf CLK_TCK`). */
const TICKS_PER_SEC = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime: its own CPU and its reaped children's. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: the fields after its closing one are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const n = (i: number): number => Number(fields[i]) || 0;
    // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return { pid, ppid: n(1), ticks: n(11) + n(12) + n(13) + n(14) };
  } catch {
    return undefined; // exited meanwhile
  }
}

function allStats(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = Number(name);
    const s = Number.isInteger(pid) ? readStat(pid) : undefined;
    return s ? [s] : [];
  });
}

/**
 * CPU seconds of every process descending from this process's children (the browser and anything else it
 * launched: only Chromium in the bench). Undefined where /proc is missing.
 */
export function childTreeCpuSec(): number | undefined {
  const stats = allStats();
  if (stats.length === 0) return undefined;
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const siblings = children.get(s.ppid);
    if (siblings) siblings.push(s);
    else children.set(s.ppid, [s]);
  }
  let ticks = 0;
  const stack = [...(children.get(process.pid) ?? [])];
  for (let s = stack.pop(); s; s = stack.pop()) {
    ticks += s.ticks;
    stack.push(...(children.get(s.pid) ?? []));
  }
  return ticks / TICKS_PER_SEC;
}

/** This process's own CPU seconds (user + system). */
export function ownCpuSec(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
