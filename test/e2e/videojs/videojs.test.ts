/**
 * Video.js (VHS) + swarmcast end to end: for HLS TS, DASH SegmentTemplate, DASH SegmentBase and the HLS live
 * simulator, one plain Video.js viewer alone (HTTP-only baseline), then three `player.p2p()` viewers through a
 * real tracker and real WebRTC, metered by the real origin. See scenario.ts for what is asserted.
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
import { VIEWER_CHROMIUM_ARGS, openViewer, type Viewer } from '../support/viewer.js';
import { MAX_ORIGIN_RATIO, playSecFor, runCase, type OpenViewer, type StreamCase } from './scenario.js';
import type { VideojsViewerParams } from './viewer-entry.js';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-entry.ts');
/**
 * Live: a 30 s window; viewers start 12 s behind VHS's own live point (≈ 18 s from the edge, as the hls.js e2e
 * does) with the plugin's opt-in `liveDelaySec`, so peers have time to pass each new segment on.
 */
const LIVE_WINDOW_SEGMENTS = 15;
const LIVE_DELAY_SEC = 12;

const ALL_STREAMS: StreamCase[] = [
  { name: 'hls-ts', path: 'hls-ts/master.m3u8', live: false },
  { name: 'dash-template', path: 'cmaf/manifest.mpd', live: false },
  { name: 'dash-segmentbase', path: 'single/manifest.mpd', live: false },
  { name: 'live', path: 'live/hls-ts/master.m3u8', live: true },
];
/** `SWARMCAST_E2E_STREAMS=hls-ts,live` runs a subset while iterating. */
const only = process.env.SWARMCAST_E2E_STREAMS?.split(',');
const STREAMS = ALL_STREAMS.filter((s) => !only || only.includes(s.name));

void describe('Video.js e2e: three viewers on VHS, real tracker, origin byte meter', () => {
  let stack: Stack;
  let browser: Browser;
  let script: string;
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    script = await bundlePageScript(ENTRY);
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  const opener =
    (stream: StreamCase): OpenViewer =>
    async (id, manifestUrl, p2p) => {
      const params: VideojsViewerParams = {
        label: id,
        manifestUrl,
        ...(p2p ? { p2p } : {}),
        // Baseline only; P2P viewers get the same delay from the plugin's liveDelaySec (see runCase below).
        ...(stream.live && !p2p ? { liveDelaySec: LIVE_DELAY_SEC } : {}),
      };
      const v = await openViewer(browser, { label: id, originUrl: stack.originUrl, script, params });
      open.push(v);
      return v;
    };

  for (const stream of STREAMS) {
    void it(`${stream.name}: 3 viewers play ${playSecFor(stream)} s without stalls, share, cost ≤ ${MAX_ORIGIN_RATIO}× one`, async () => {
      const run = `vjs-${stream.name}-${Date.now().toString(36)}`;
      const extra = stream.live ? { liveDelaySec: LIVE_DELAY_SEC } : {};
      await runCase(stack, opener(stream), run, stream, stream.name, extra);
    });
  }
});
