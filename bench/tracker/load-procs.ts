/** Load-generator child processes (load-worker.ts) and the arithmetic shared by the benchmark modes. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Counters, FromLoad, ToLoad } from './load-worker.js';

export class LoadProc {
  private readonly child: ChildProcess;
  private waiter: ((m: FromLoad) => void) | null = null;
  constructor() {
    this.child = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--max-old-space-size=8192'],
    });
    this.child.on('message', (m: FromLoad) => {
      const w = this.waiter;
      this.waiter = null;
      w?.(m);
    });
  }
  ask(m: ToLoad): Promise<FromLoad> {
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.child.send(m);
    });
  }
  tell(m: ToLoad): void {
    this.child.send(m);
  }
  exit(): Promise<void> {
    return new Promise((r) => {
      this.child.once('exit', () => r());
      this.child.send({ cmd: 'exit' } satisfies ToLoad);
    });
  }
}

export function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function sum(list: Counters[]): Counters {
  const out: Counters = {
    announcesSent: 0,
    announceResponses: 0,
    offersReceived: 0,
    answersSent: 0,
    answersReceived: 0,
    errors: 0,
    closed: 0,
    swarmSizeSeen: 0,
  };
  for (const c of list) {
    for (const k of Object.keys(out) as (keyof Counters)[]) {
      out[k] = k === 'swarmSizeSeen' ? Math.max(out[k], c[k]) : out[k] + c[k];
    }
  }
  return out;
}
