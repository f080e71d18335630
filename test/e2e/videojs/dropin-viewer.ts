/**
 * Opens `samples/videojs-dropin.html` as-is (plain HTML, script tags, no bundler) as one e2e viewer: Playwright
 * routing serves the page, video.js from node_modules and the swarmcast Video.js UMD bundle, so nothing of it
 * reaches the origin's byte meter. Returns the same `Viewer` shape as test/e2e/support/viewer.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import type { ViewerReport } from '../support/types.js';
import type { Viewer } from '../support/viewer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The UMD drop-in as `npm run build` makes it (dist/umd/swarmcast-videojs.min.js: IIFE, global
 * `swarmcast.videojs`, video.js taken from `window.videojs`), built here with esbuild so the test does not
 * depend on a prior build.
 */
export async function buildDropinBundle(): Promise<string> {
  const r = await build({
    entryPoints: [path.join(ROOT, 'plugins/videojs/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'swarmcast.videojs',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const file = r.outputFiles[0];
  if (!file) throw new Error('esbuild produced no drop-in bundle');
  return file.text;
}

export interface DropinOptions {
  label: string;
  originUrl: string;
  trackerUrl: string;
  /** Origin-relative stream path (with the /c/<client>/ metering prefix). */
  stream: string;
  swarmId: string;
  /** Which of the sample's players to keep: created before or after the bundle loaded. */
  player: 'early' | 'late';
  /** Live: the page's `?liveDelay=` (plugin `liveDelaySec`; for the baseline the init script seeks the same). */
  liveDelaySec: number;
  /** False: the same page with `window.swarmcastConfig = false` (plain Video.js, the baseline). */
  p2p: boolean;
  bundle: string;
  initScript: string;
}

export async function openDropinViewer(browser: Browser, o: DropinOptions): Promise<Viewer> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const files: Record<string, [string, string]> = {
    '/samples/videojs-dropin.html': ['text/html', readFileSync(path.join(ROOT, 'samples/videojs-dropin.html'), 'utf8')],
    '/node_modules/video.js/dist/video.min.js': [
      'text/javascript',
      readFileSync(path.join(ROOT, 'node_modules/video.js/dist/video.min.js'), 'utf8'),
    ],
    '/node_modules/video.js/dist/video-js.min.css': [
      'text/css',
      readFileSync(path.join(ROOT, 'node_modules/video.js/dist/video-js.min.css'), 'utf8'),
    ],
    '/dist/umd/swarmcast-videojs.min.js': ['text/javascript', o.bundle],
  };
  for (const [file, [contentType, body]] of Object.entries(files)) {
    await page.route(`${o.originUrl}${file}*`, (route) => route.fulfill({ status: 200, contentType, body }));
  }
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[${o.label}] ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.log(`[${o.label}] pageerror: ${e.message}`));
  await page.addInitScript({ content: o.initScript });
  const query = new URLSearchParams({
    origin: o.originUrl,
    tracker: o.trackerUrl,
    stream: o.stream,
    swarm: o.swarmId,
    players: o.player,
    label: o.label,
    ...(o.p2p ? {} : { p2p: '0' }),
    ...(o.liveDelaySec > 0 ? { liveDelay: String(o.liveDelaySec) } : {}),
  });
  await page.goto(`${o.originUrl}/samples/videojs-dropin.html?${query.toString()}`);
  const report = (): Promise<ViewerReport> =>
    page.evaluate(() => (window as unknown as { __viewer: { report(): ViewerReport } }).__viewer.report());
  return {
    label: o.label,
    page,
    report,
    async waitForPlayed(sec, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await report();
        if (r.playback.error) throw new Error(`${o.label}: media error ${r.playback.error}`);
        if (r.playback.playedSec >= sec) return r;
        if (Date.now() > deadline) {
          const trail = (r as { debugTrail?: string[] }).debugTrail ?? [];
          console.log(`[${o.label}] hung; last events:\n  ${trail.join('\n  ')}`);
          throw new Error(`${o.label}: played only ${r.playback.playedSec.toFixed(1)} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}
