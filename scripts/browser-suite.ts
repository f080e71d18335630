/**
 * The browser suite (Karma) for scripts/test.ts: starts the real origin, tracker and control server, runs the
 * given test files in each requested browser one after the other, and returns the counts, per browser too.
 *
 * Run as a script (`node --import tsx scripts/browser-suite.ts <result.json> <browsers> <files…>`) it writes the
 * counts to result.json: that is how scripts/test.ts runs it inside a network namespace (Firefox needs a
 * non-loopback interface for WebRTC, see test/support/netns.ts).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface BrowserSuiteResult extends Counts {
  /** Karma's browser name (with version) → its counts. */
  byBrowser: Record<string, Counts>;
}

export type BrowserName = 'chromium' | 'firefox';
export const BROWSER_NAMES: readonly BrowserName[] = ['chromium', 'firefox'];

interface KarmaBrowser {
  name: string;
  lastResult: { success: number; failed: number; skipped: number; error: boolean; disconnected: boolean };
}

export async function runKarma(files: string[], browsers: readonly BrowserName[]): Promise<BrowserSuiteResult> {
  const empty = { passed: 0, failed: 0, skipped: 0, byBrowser: {} };
  if (files.length === 0) return empty;
  const { startStack } = await import('../test/support/stack.js');
  // karma is CommonJS and its named exports are not visible to import().
  const karma = createRequire(import.meta.url)('karma') as typeof import('karma');
  const stack = await startStack();
  try {
    const configModule = (await import(pathToFileURL(path.join(ROOT, 'karma.conf.js')).href)) as {
      default: (config: { set(values: Record<string, unknown>): void }) => void;
      KARMA_BROWSERS: Record<BrowserName, string>;
    };
    const values: Record<string, unknown> = {};
    configModule.default({ set: (v) => Object.assign(values, v) });
    const client = values.client as Record<string, unknown>;
    values.basePath = ROOT;
    values.files = files.map((pattern) => ({ pattern, watched: false }));
    values.client = { ...client, swarmcast: stack.env() };
    values.browsers = browsers.map((b) => configModule.KARMA_BROWSERS[b]);
    const config = await karma.config.parseConfig(null, values, { promiseConfig: true, throwErrors: true });
    return await new Promise<BrowserSuiteResult>((resolve) => {
      let result: BrowserSuiteResult | undefined;
      let browserErrors = 0;
      const server = new karma.Server(config, (exitCode) => {
        const r = result ?? { ...empty };
        if (browserErrors > 0) r.failed += browserErrors;
        if (exitCode !== 0 && r.failed === 0) r.failed = 1;
        // A browser that never reported (failed to start) must not look green either.
        if (Object.keys(r.byBrowser).length < browsers.length && r.failed === 0) r.failed = 1;
        resolve(r);
      });
      server.on('run_complete', (runBrowsers: unknown, results) => {
        const byBrowser: Record<string, Counts> = {};
        const list = runBrowsers as { forEach(fn: (b: KarmaBrowser) => void): void };
        list.forEach((b) => {
          const l = b.lastResult;
          byBrowser[b.name] = {
            passed: l.success,
            failed: l.failed + (l.error || l.disconnected ? 1 : 0),
            skipped: l.skipped,
          };
        });
        result = {
          passed: results.success,
          failed: results.failed + (results.error && results.failed === 0 ? 1 : 0),
          skipped: Object.values(byBrowser).reduce((a, c) => a + c.skipped, 0),
          byBrowser,
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

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [resultFile, browserList = '', ...files] = process.argv.slice(2);
  if (!resultFile) throw new Error('usage: browser-suite.ts <result.json> <browsers> <files…>');
  const browsers = browserList.split(',').filter((b): b is BrowserName => BROWSER_NAMES.includes(b as BrowserName));
  const result = await runKarma(files, browsers);
  writeFileSync(resultFile, JSON.stringify(result));
  // Karma leaves handles behind (its file watcher, socket.io); the result is written, so leave.
  process.exit(0);
}
