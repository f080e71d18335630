/**
 * Runs a benchmark the way people do, `npm run <script> -- <args>`, and collects what it printed. The child gets
 * its own process group, so a run past its deadline is ended with everything it started (servers, workers,
 * browsers).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: readonly string[], deadlineMs: number): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[${script} still running after ${deadlineMs} ms: ended]`;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, deadlineMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The numbers in a printed value (`1 234.5`, `-3`, `0.00`): `-` or `NaN` where a figure is due do not parse. */
export function numbers(text: string): number[] {
  return (text.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? []).map((n) => Number(n.replace(/,/g, '')));
}

/** A figure that must be a finite number: `-`, `NaN`, `Infinity` or an empty cell fail with the context. */
export function figure(cell: string | undefined, context: string): number {
  const text = (cell ?? '').trim();
  const n = /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new Error(`${context}: "${text}" is not a number`);
  return n;
}
