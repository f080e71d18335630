/**
 * `npm test [-- <suite> [paths…]]`: runs the node, browser and e2e suites in that order (or the one named,
 * restricted to files under the given paths) and ends with ONE line `N passed, N failed` summing them.
 * Exits non-zero when anything failed, including a suite that could not run at all.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, '.tmp');
const SUITES = ['node', 'browser', 'e2e'] as const;
// Debian's Chromium; never a downloaded browser.
process.env.CHROME_BIN ??= '/usr/bin/chromium';
type Suite = (typeof SUITES)[number];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

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

async function runBrowserTests(files: string[]): Promise<Counts> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const { startStack } = await import('../test/support/stack.js');
  // karma is CommonJS and its named exports are not visible to import().
  const karma = createRequire(import.meta.url)('karma') as typeof import('karma');
  const stack = await startStack();
  try {
    const configModule = (await import(pathToFileURL(path.join(ROOT, 'karma.conf.js')).href)) as {
      default: (config: { set(values: Record<string, unknown>): void }) => void;
    };
    const values: Record<string, unknown> = {};
    configModule.default({ set: (v) => Object.assign(values, v) });
    const client = values.client as Record<string, unknown>;
    values.basePath = ROOT;
    values.files = files.map((pattern) => ({ pattern, watched: false }));
    values.client = { ...client, swarmcast: stack.env() };
    const config = await karma.config.parseConfig(null, values, { promiseConfig: true, throwErrors: true });
    return await new Promise<Counts>((resolve) => {
      let counts: Counts | undefined;
      let browserErrors = 0;
      const server = new karma.Server(config, (exitCode) => {
        const result = counts ?? { passed: 0, failed: 0, skipped: 0 };
        if (browserErrors > 0) result.failed += browserErrors;
        if (exitCode !== 0 && result.failed === 0) result.failed = 1;
        resolve(result);
      });
      server.on('run_complete', (_browsers, results) => {
        counts = {
          passed: results.success,
          failed: results.failed + (results.error && results.failed === 0 ? 1 : 0),
          skipped: results.skipped ?? 0,
        };
      });
      server.on('browser_error', () => {
        browserErrors += 1;
      });
      void server.start();
    });
  } finally {
    await stack.close();
  }
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
