/**
 * Node side of the UMD/sample smoke test: opens `samples/<player>.html` from an origin rooted at the repo (the
 * page loads the player's dist from node_modules and our UMD bundle from dist/umd, as a WordPress page would)
 * and checks that the player plays through the swarmcast engine. Skipped when the bundle is not built.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startOrigin, type Origin } from '../../support/origin/index.js';
import { startStack, type Stack } from '../../support/stack.js';
import { VIEWER_CHROMIUM_ARGS } from './viewer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SampleSmokeSpec {
  /** samples/<sample>.html */
  sample: string;
  /** dist/umd/<bundle>.min.js */
  bundle: string;
  /** Expression evaluated in the page: the engine's HTTP bytes so far (throws or undefined before startup). */
  httpBytesExpr: string;
}

export function describeSampleSmoke(spec: SampleSmokeSpec): void {
  void describe(`samples/${spec.sample}.html with the UMD bundle`, () => {
    let stack: Stack;
    let pages: Origin;
    let browser: Browser;

    before(async () => {
      stack = await startStack();
      pages = await startOrigin({ root: ROOT });
      browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    });

    after(async () => {
      await browser.close().catch(() => undefined);
      await Promise.all([stack.close(), pages.close()]);
    });

    void it('plays the fixture through the swarmcast engine', async (t) => {
      if (!existsSync(path.join(ROOT, `dist/umd/${spec.bundle}.min.js`))) {
        t.skip(`dist/umd/${spec.bundle}.min.js missing: run \`npm run build\` first`);
        return;
      }
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const query = `origin=${encodeURIComponent(stack.originUrl)}&tracker=${encodeURIComponent(stack.trackerUrl)}`;
        await page.goto(`${pages.url}/samples/${spec.sample}.html?${query}`);
        await page
          .waitForFunction(
            (expr) => {
              const video = document.querySelector('video');
              let bytes = 0;
              try {
                bytes = Number((0, eval)(expr)) || 0; // the sample's own globals (const player…)
              } catch {
                bytes = 0;
              }
              return video !== null && video.currentTime > 3 && bytes > 0;
            },
            spec.httpBytesExpr,
            { timeout: 30000, polling: 500 },
          )
          .catch((e: unknown) => {
            throw new Error(`${String(e)}; page errors: ${errors.join(' | ')}`);
          });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
