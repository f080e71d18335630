/**
 * The e2e rig: several Chromium pages are several viewers of one origin, each viewer's CDN bytes metered on
 * its own (client path prefix), players loaded from the repo like the demo does.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startOrigin, type Origin } from '../../support/origin/index.js';
import { startStack, type Stack } from '../../support/stack.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('e2e rig: several viewers', () => {
  let stack: Stack;
  let pages: Origin;
  let browser: Browser;

  before(async () => {
    stack = await startStack({ tracker: false, control: false });
    pages = await startOrigin({ root: ROOT });
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await Promise.all([stack.close(), pages.close()]);
  });

  it('plays the HLS TS fixture in two pages and meters each viewer separately', async () => {
    const viewers = ['viewer-a', 'viewer-b'];
    const contexts = await Promise.all(viewers.map(() => browser.newContext()));
    try {
      const positions = await Promise.all(
        viewers.map(async (viewer, index) => {
          const page = await contexts[index]!.newPage();
          await page.goto(`${pages.url}/samples/blank.html`);
          await page.addScriptTag({ url: `${pages.url}/node_modules/hls.js/dist/hls.min.js` });
          return page.evaluate(async (src) => {
            const video = document.createElement('video');
            video.muted = true;
            document.body.appendChild(video);
            const hls = new window.Hls({ maxBufferLength: 6 });
            hls.loadSource(src);
            hls.attachMedia(video);
            await video.play();
            await new Promise<void>((resolve, reject) => {
              const started = performance.now();
              const timer = setInterval(() => {
                if (video.currentTime >= 4) {
                  clearInterval(timer);
                  resolve();
                } else if (performance.now() - started > 20000) {
                  clearInterval(timer);
                  reject(new Error(`stuck at ${video.currentTime}`));
                }
              }, 100);
            });
            // Read before destroy(): detaching the media resets currentTime.
            const position = video.currentTime;
            hls.destroy();
            return position;
          }, `${stack.originUrl}/c/${viewer}/hls-ts/master.m3u8`);
        }),
      );
      for (const position of positions) assert.ok(position >= 4, `played to ${position} s`);

      const meter = stack.origin.meter.snapshot();
      for (const viewer of viewers) {
        const bytes = meter.byClient[viewer]?.bytes ?? 0;
        // 4 s of the lowest rendition is already ~20 KB; a viewer's bytes never leak to another's count.
        assert.ok(bytes > 20000, `${viewer} fetched ${bytes} bytes`);
      }
      assert.equal(meter.byClient.anonymous, undefined, 'every media request carried its viewer id');
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  });
});
