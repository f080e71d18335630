/**
 * `npm test [-- <suite> [paths…]]`: runs the node, browser and e2e suites in that order (or the one named,
 * restricted to files under the given paths) and ends with ONE line `N passed, N failed` summing them.
 * Exits non-zero when anything failed, including a suite that could not run at all.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runInNetns } from '../test/support/netns.js';
import { BROWSER_NAMES, type BrowserName, type BrowserSuiteResult, type Counts } from './browser-suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, '.tmp');
const SUITES = ['node', 'browser', 'e2e'] as const;
// Debian's Chromium and Firefox ESR; never a downloaded browser.
process.env.CHROME_BIN ??= '/usr/bin/chromium';
process.env.FIREFOX_BIN ??= '/usr/bin/firefox-esr';
type Suite = (typeof SUITES)[number];

function findTests(dir: string, filters: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(current);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      const full = path.join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.test.ts')) found.push(full);
    }
  };
  walk(path.join(ROOT, dir));
  if (filters.length === 0) return found;
  const absolute = filters.map((f) => path.resolve(ROOT, f));
  return found.filter((file) => absolute.some((f) => file === f || file.startsWith(f + path.sep)));
}

/** Marker in an e2e file's header: it never overlaps another file so marked (see runE2e). */
const EXCLUSIVE_MARKER = 'e2e: exclusive';

/**
 * One `node --test` process: spec output for people (each line prefixed with `prefix` when given), TAP to a file
 * for the counts.
 */
async function runNodeTestProcess(files: string[], concurrency: number, name: string, prefix = ''): Promise<Counts> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  mkdirSync(TMP, { recursive: true });
  // Per process: several runs (developers, helpers) may share the checkout.
  const tapFile = path.join(TMP, `${name}-${process.pid}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (prefix) {
      for (const [stream, out] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ] as const) {
        if (stream) createInterface({ input: stream }).on('line', (line) => out.write(`${prefix}${line}\n`));
      }
    }
    child.on('close', (c) => {
      resolve(c ?? 1);
    });
  });
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    // the runner died before writing anything: counted as a failure below
  }
  rmSync(tapFile, { force: true });
  const count = (key: string): number => {
    const matches = [...tap.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))];
    const last = matches.at(-1);
    return last ? Number(last[1]) : 0;
  };
  const counts = {
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
  };
  // A runner that died without reporting failures must not look green.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

/**
 * The e2e suite, several files at a time (`SWARMCAST_E2E_JOBS`, default 2; 1 runs them one after the other). Each
 * file is its own `node --test` process, its lines prefixed with its name. They can overlap because every server
 * a file starts listens on an ephemeral port, each Firefox run has a network namespace of its own, and most of an
 * e2e file's time is real-time playback, not CPU. Files whose header says `e2e: exclusive` (many viewers at once,
 * or a benchmark's figures) never overlap one another; they start first, being the longest.
 */
async function runE2e(files: string[]): Promise<Counts> {
  const jobs = Math.max(1, Math.floor(Number(process.env.SWARMCAST_E2E_JOBS ?? '2')) || 1);
  const exclusive = new Set(files.filter((f) => readFileSync(f, 'utf8').includes(EXCLUSIVE_MARKER)));
  const queue = [...files.filter((f) => exclusive.has(f)), ...files.filter((f) => !exclusive.has(f))];
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  let exclusiveRunning = false;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = queue.findIndex((f) => !(exclusiveRunning && exclusive.has(f)));
      if (i < 0) {
        if (queue.length === 0) return;
        await changed; // only exclusive files are left and one is running
        continue;
      }
      const [file] = queue.splice(i, 1);
      if (file === undefined) return;
      const alone = exclusive.has(file);
      if (alone) exclusiveRunning = true;
      const name = path.relative(path.join(ROOT, 'test/e2e'), file).replace(/\.test\.ts$/, '');
      const prefix = jobs > 1 ? `[${name}] ` : '';
      const c = await runNodeTestProcess([file], 1, `e2e-${name.replace(/[^\w-]/g, '_')}`, prefix);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
      if (alone) exclusiveRunning = false;
      wake();
      changed = new Promise<void>((resolve) => (wake = resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
  return total;
}

/**
 * The browser suite in every browser of `SWARMCAST_BROWSERS` (default `chromium,firefox`), in a child process:
 * with Firefox in the run, inside a network namespace made for it (Firefox gathers no ICE candidate on loopback
 * alone; see test/support/netns.ts), so Karma, the servers and both browsers share that namespace.
 */
async function runBrowserTests(files: string[]): Promise<Counts> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const browsers = (process.env.SWARMCAST_BROWSERS ?? BROWSER_NAMES.join(','))
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  const unknown = browsers.filter((b) => !BROWSER_NAMES.includes(b as BrowserName));
  if (unknown.length > 0 || browsers.length === 0) {
    throw new Error(
      `SWARMCAST_BROWSERS: unknown ${unknown.join(', ') || '(none given)'}; known: ${BROWSER_NAMES.join(', ')}`,
    );
  }
  mkdirSync(TMP, { recursive: true });
  const resultFile = path.join(TMP, `browser-${process.pid}.json`);
  rmSync(resultFile, { force: true });
  const args = [
    ...process.execArgv,
    path.join(ROOT, 'scripts/browser-suite.ts'),
    resultFile,
    browsers.join(','),
    ...files,
  ];
  const code = browsers.includes('firefox')
    ? await runInNetns(process.execPath, args)
    : await new Promise<number>((resolve) => {
        spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).on('exit', (c) => {
          resolve(c ?? 1);
        });
      });
  let result: BrowserSuiteResult;
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as BrowserSuiteResult;
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  } finally {
    rmSync(resultFile, { force: true });
  }
  for (const [name, c] of Object.entries(result.byBrowser)) {
    console.log(`browser suite in ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  }
  if (code !== 0 && result.failed === 0) result.failed = 1;
  return { passed: result.passed, failed: result.failed, skipped: result.skipped };
}

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  const only = SUITES.find((s) => s === first);
  const suites: readonly Suite[] = only ? [only] : SUITES;
  const filters = only ? rest : [first, ...rest].filter((a): a is string => a !== undefined);
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const lines: string[] = [];
  for (const suite of suites) {
    const files = findTests(`test/${suite}`, filters);
    console.log(`\n=== ${suite} suite: ${files.length} file(s) ===`);
    let counts: Counts;
    try {
      if (suite === 'browser') counts = await runBrowserTests(files);
      else if (suite === 'e2e') counts = await runE2e(files);
      else counts = await runNodeTestProcess(files, 2, 'node');
    } catch (err) {
      console.error(`${suite} suite crashed:`, err);
      counts = { passed: 0, failed: 1, skipped: 0 };
    }
    lines.push(`${suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  console.log(`\n${lines.join('\n')}`);
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
  console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
  process.exit(total.failed > 0 ? 1 : 0);
}

await main();
