/**
 * `npm run bench:swarm -- --viewers N --stream live|vod --player hlsjs|videojs|shaka [options]` (see options.ts):
 * an HTTP-only pass (the same viewers, same engine with `p2pEnabled: false`, same seeded join schedule), a P2P
 * pass, and for hls.js a pass with P2P Media Loader 2.3.1 (`--p2pml`), each against a fresh throttled origin
 * (fresh byte meter) and a fresh swarmcast tracker, N viewers in one headless Chromium: real players up to
 * `--real-max`, virtual viewers beyond (page/virtual-viewer.ts says what those exercise). Reports CDN bytes and offload against the baseline, P2P share, stalls, startup, segment load
 * times by source, upload and tracker messages; `--json` prints one object. `--repeat N` runs it all N times and
 * adds the median and range of the headline figures (repeat.ts). Progress goes to stderr.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../test/support/browser.js';
import { bundlePageScript } from '../../test/e2e/support/bundle.js';
import { VIEWER_CHROMIUM_ARGS } from '../../test/e2e/support/viewer.js';
import { OptionsError, USAGE, parseOptions, virtualCount } from './options.js';
import { longFixturesRoot, runPass, type PageScripts, type PassKind, type PassResult } from './pass.js';
import { renderRepeatSummary, summariseRuns } from './repeat.js';
import { summarise, type SwarmBenchResult } from './summary.js';
import { renderTable } from './table.js';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'page');
const ROOT = path.resolve(PAGE_DIR, '../../..');

/** Which core was measured: the last commit touching core/ and whether the working tree differs from it. */
function coreRevision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const head = git('log', '-1', '--format=%h', '--', 'core');
    return git('status', '--porcelain', '--', 'core') === '' ? head : `${head}+uncommitted`;
  } catch {
    return 'unknown';
  }
}

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof OptionsError)) throw e;
  console.error(`bench:swarm: ${e.message}`);
  process.exit(2);
}
if (parsed === 'help') {
  console.log(USAGE);
  process.exit(0);
}
const options = parsed;
if (options.stream === 'vod-long') {
  try {
    longFixturesRoot();
  } catch (e) {
    console.error(`bench:swarm: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
}
const log = (line: string): void => {
  process.stderr.write(`[bench:swarm] ${line}\n`);
};

const started = performance.now();
// Read before bundling: the pages run the core as it is now, whatever the working tree becomes during the run.
const core = coreRevision();
const scripts: PageScripts = {
  real:
    virtualCount(options) < options.viewers ? await bundlePageScript(path.join(PAGE_DIR, `${options.player}.ts`)) : '',
  // hls.js's ESM build loads its transmuxing worker from `workerPath` (its UMD build inlines it).
  playerWorker:
    options.player === 'hlsjs'
      ? readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.worker.js'), 'utf8')
      : undefined,
  virtual: virtualCount(options) > 0 ? await bundlePageScript(path.join(PAGE_DIR, 'virtual.ts')) : '',
  // P2P Media Loader's core as its own prebuilt browser bundle (what its CDN links serve), not its Node-flavoured lib/.
  p2pml: options.p2pml ? await bundlePageScript(path.join(PAGE_DIR, 'hlsjs-p2pml.ts'), ['p2pml:core-as-bundle']) : '',
};
const browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
try {
  const runs: SwarmBenchResult[] = [];
  for (let run = 1; run <= options.repeat; run++) {
    if (options.repeat > 1) log(`run ${run} of ${options.repeat}`);
    const runStarted = performance.now();
    const kinds: PassKind[] = ['baseline', 'p2p', ...(options.p2pml ? (['p2pml'] as const) : [])];
    // Concurrent passes share whatever else loads the machine: fairer startup and stall comparisons on a busy host.
    const passes: PassResult[] = [];
    if (options.concurrentPasses)
      passes.push(...(await Promise.all(kinds.map((k) => runPass(options, k, browser, scripts, log)))));
    else for (const k of kinds) passes.push(await runPass(options, k, browser, scripts, log));
    const [baseline, p2p, p2pml] = passes;
    if (!baseline || !p2p) throw new Error('bench:swarm: a pass did not run');
    const result = summarise(options, baseline, p2p, (performance.now() - runStarted) / 1000, core, p2pml);
    runs.push(result);
    if (!options.json)
      console.log(`${options.repeat > 1 ? `\nrun ${run} of ${options.repeat}\n` : ''}${renderTable(result)}`);
  }
  const overRuns = options.repeat > 1 ? summariseRuns(runs) : undefined;
  const json = (): string =>
    JSON.stringify(overRuns ? { overRuns, runs, elapsedSec: (performance.now() - started) / 1000 } : runs[0]);
  if (options.json) console.log(json());
  else if (overRuns) console.log(`\n${renderRepeatSummary(overRuns)}`);
  if (options.jsonOut !== undefined) writeFileSync(options.jsonOut, `${json()}\n`);
} finally {
  await browser.close();
}
