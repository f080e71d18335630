/**
 * `npm test [-- <suite> [paths…]]`: runs the node, browser and e2e suites in that order (or the one named,
 * restricted to files under the given paths) and ends with ONE line `N passed, N failed` summing them.
 * Exits non-zero when anything failed, including a suite that could not run at all.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
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

/** node:test suites (node, e2e): spec output for people, TAP to a file for the counts. */
async function runNodeTests(suite: 'node' | 'e2e', files: string[]): Promise<Counts> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  mkdirSync(TMP, { recursive: true });
  // Per process: several runs (developers, helpers) may share the checkout.
  const tapFile = path.join(TMP, `${suite}-${process.pid}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    // e2e runs several Chromium viewers per test; one file at a time keeps them off each other's CPU.
    `--test-concurrency=${suite === 'e2e' ? 1 : 2}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (c) => {
      resolve(c ?? 1);
    });
  });
  const tap = readFileSync(tapFile, 'utf8');
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
      counts = suite === 'browser' ? await runBrowserTests(files) : await runNodeTests(suite, files);
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
