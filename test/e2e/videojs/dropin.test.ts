/**
 * The WordPress-style drop-in end to end: `samples/videojs-dropin.html` as-is (video.js, a global
 * `window.swarmcastConfig`, the UMD bundle by script tag; no bundler, no player code), players created before
 * and after the bundle loaded. Same assertions as videojs.test.ts (see scenario.ts); the baseline is the same
 * page with the drop-in turned off.
 *
 * e2e: exclusive (several viewers and an offload ratio; never overlaps another such file, see scripts/test.ts).
 */
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { VIEWER_CHROMIUM_ARGS, type Viewer } from '../support/viewer.js';
import { buildDropinBundle, openDropinViewer } from './dropin-viewer.js';
import { MAX_ORIGIN_RATIO, playSecFor, runCase, type OpenViewer, type StreamCase } from './scenario.js';

const INIT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dropin-entry.ts');
const LIVE_WINDOW_SEGMENTS = 15;
/** Same live tuning as videojs.test.ts, passed through the page's `?liveDelay=` into `window.swarmcastConfig`. */
const LIVE_DELAY_SEC = 12;

const ALL_STREAMS: StreamCase[] = [
  { name: 'hls-ts', path: 'hls-ts/master.m3u8', live: false },
  { name: 'dash-template', path: 'cmaf/manifest.mpd', live: false },
  { name: 'dash-segmentbase', path: 'single/manifest.mpd', live: false },
  { name: 'live', path: 'live/hls-ts/master.m3u8', live: true },
];
const only = process.env.SWARMCAST_E2E_STREAMS?.split(',');
const STREAMS = ALL_STREAMS.filter((s) => !only || only.includes(s.name));

void describe('Video.js drop-in e2e: plain HTML page, UMD bundle, global config', () => {
  let stack: Stack;
  let browser: Browser;
  let bundle: string;
  let initScript: string;
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    [bundle, initScript] = await Promise.all([buildDropinBundle(), bundlePageScript(INIT)]);
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  let opened = 0;
  const opener: OpenViewer = async (id, manifestUrl, p2p) => {
    const swarmId = typeof p2p?.swarmId === 'string' ? p2p.swarmId : 'none';
    // Alternate players created before and after the bundle loaded (videojs.getPlayers() vs hook('setup')).
    const player = opened++ % 2 === 0 ? 'early' : 'late';
    const v = await openDropinViewer(browser, {
      label: id,
      originUrl: stack.originUrl,
      trackerUrl: stack.trackerUrl,
      stream: manifestUrl.slice(stack.originUrl.length + 1),
      swarmId,
      player,
      liveDelaySec: manifestUrl.includes('/live/') ? LIVE_DELAY_SEC : 0,
      p2p: p2p !== undefined,
      bundle,
      initScript,
    });
    open.push(v);
    return v;
  };

  for (const stream of STREAMS) {
    void it(`${stream.name}: drop-in page, 3 viewers ${playSecFor(stream)} s, no stall, share, ≤ ${MAX_ORIGIN_RATIO}× one`, async () => {
      const run = `drop-${stream.name}-${Date.now().toString(36)}`;
      await runCase(stack, opener, run, stream, `drop-in ${stream.name}`);
    });
  }
});
