/**
 * Node side of the sample-page swarm e2e, for players that sit on the hls.js integration without a plugin of
 * their own (Plyr, Vidstack): two Chromium viewers open `samples/<sample>.html` as a user would (player and
 * swarmcast UMD from node_modules and dist/umd, served from the repo root), on one swarm of the real tracker
 * and origin. Asserts: both play ≥ 20 s without a stall or a page error, the later viewer receives P2P bytes,
 * every request the pages make stays on the test's own servers (players fetch nothing from their CDNs), and the
 * sample's own check. Skipped when the UMD bundle is not built.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startOrigin, type Origin } from '../../support/origin/index.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from './bundle.js';
import { kib } from './metering.js';
import type { PlaybackSnapshot } from './types.js';
import { VIEWER_CHROMIUM_ARGS } from './viewer.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MONITOR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sample-monitor-entry.ts');
const PLAY_SEC = 20;
const STAGGER_MS = 4000;

export interface SampleSwarmSpec {
  /** samples/<sample>.html */
  sample: string;
  /** Player name in titles. */
  player: string;
  /** Expression evaluated in the page: the swarmcast engine's stats (undefined before the player made one). */
  statsExpr: string;
  /** Extra checks on one viewer's page once it plays. */
  check?: (page: Page) => Promise<void>;
}

interface Stats {
  httpBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
}

interface Sampled {
  stats: Stats | undefined;
  playback: PlaybackSnapshot | undefined;
}

export function describeSampleSwarm(spec: SampleSwarmSpec): void {
  void describe(`samples/${spec.sample}.html: ${spec.player} on the hls.js integration, two viewers`, () => {
    let stack: Stack;
    let pages: Origin;
    let browser: Browser;
    let monitor: string;

    before(async () => {
      stack = await startStack();
      pages = await startOrigin({ root: ROOT });
      browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
      monitor = await bundlePageScript(MONITOR);
    });

    after(async () => {
      await browser.close().catch(() => undefined);
      await Promise.all([stack.close(), pages.close()]);
    });

    void it(`2 viewers play ${PLAY_SEC} s without stalls, the second gets P2P bytes, nothing leaves the test servers`, async (t) => {
      if (!existsSync(path.join(ROOT, 'dist/umd/swarmcast-hlsjs.min.js'))) {
        t.skip('dist/umd/swarmcast-hlsjs.min.js missing: run `npm run build` first');
        return;
      }
      const allowed = [pages.url, stack.originUrl, stack.trackerUrl];
      const strayRequests: string[] = [];
      const pageErrors: string[] = [];
      const swarm = `${spec.sample}-${Date.now().toString(36)}`;
      const query = new URLSearchParams({ origin: stack.originUrl, tracker: stack.trackerUrl, swarm });
      const viewers: Page[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
          const context = await browser.newContext();
          await context.addInitScript({ content: monitor });
          const page = await context.newPage();
          page.on('request', (r) => {
            // data: and blob: (the MediaSource object URL a player gives its <video>) never reach a network.
            const local = /^(data|blob):/.test(r.url());
            if (!local && !allowed.some((a) => r.url().startsWith(a))) strayRequests.push(r.url());
          });
          page.on('pageerror', (e) => pageErrors.push(`viewer ${i + 1}: ${e.message}`));
          await page.goto(`${pages.url}/samples/${spec.sample}.html?${query.toString()}`);
          viewers.push(page);
        }
        const sample = (page: Page): Promise<Sampled> =>
          page.evaluate((expr) => {
            let stats: unknown;
            try {
              stats = (0, eval)(expr); // the sample's own globals
            } catch {
              stats = undefined;
            }
            const w = window as unknown as { __monitor: { snapshot(): PlaybackSnapshot | undefined } };
            return { stats: stats as Stats | undefined, playback: w.__monitor.snapshot() };
          }, spec.statsExpr);
        const deadline = Date.now() + 120000;
        let last: Sampled[] = [];
        for (;;) {
          last = await Promise.all(viewers.map(sample));
          if (last.every((s) => (s.playback?.playedSec ?? 0) >= PLAY_SEC)) break;
          const error = last.find((s) => s.playback?.error)?.playback?.error;
          if (error) throw new Error(`media error ${error}`);
          if (Date.now() > deadline) throw new Error(`not played ${PLAY_SEC} s: ${JSON.stringify(last)}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        for (const [i, s] of last.entries()) {
          console.log(
            `[${spec.sample}] viewer ${i + 1}: http ${kib(s.stats?.httpBytes ?? 0)}, p2p ${kib(s.stats?.p2pBytes ?? 0)}, ` +
              `up ${kib(s.stats?.uploadedBytes ?? 0)}, stalls ${s.playback?.stalls.length ?? '?'}, ` +
              `startup ${Math.round(s.playback?.startupMs ?? -1)} ms`,
          );
        }
        for (const [i, s] of last.entries()) {
          assert.ok(s.stats, `viewer ${i + 1}: no swarmcast stats (${spec.statsExpr})`);
          assert.ok(s.stats.httpBytes > 0, `viewer ${i + 1}: the engine loaded nothing`);
          assert.deepEqual(s.playback?.stalls, [], `viewer ${i + 1} stalled`);
        }
        assert.ok((last[1]?.stats?.p2pBytes ?? 0) > 0, 'viewer 2 received no P2P bytes');
        assert.deepEqual(pageErrors, []);
        assert.deepEqual(strayRequests, [], 'requests left the test servers');
        if (spec.check && viewers[0]) await spec.check(viewers[0]);
      } finally {
        await Promise.all(
          viewers.map((p) =>
            p
              .context()
              .close()
              .catch(() => undefined),
          ),
        );
      }
    });
  });
}
