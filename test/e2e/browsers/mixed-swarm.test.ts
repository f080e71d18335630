/**
 * A mixed audience: Chromium and Firefox viewers of one live stream, on hls.js and on Video.js (each player in
 * each browser), through the project's tracker and the real origin. Firefox gathers ICE candidates only on a
 * non-loopback interface, so this file re-runs itself inside a network namespace it makes (netns.ts): the origin,
 * the tracker, both browsers and this process share it, and nothing leaves it.
 *
 * Asserts: every viewer plays ≥ 30 s without a stall or an error; Chromium viewers received P2P bytes from
 * Firefox viewers and Firefox viewers from Chromium viewers (told apart by tracker peer id); and every media
 * segment each player was handed is byte-identical to the origin's file (SHA-256 of what the player received).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { launchChromium } from '../../support/browser.js';
import { launchFirefox } from '../../support/firefox.js';
import { reexecInNetns } from '../../support/netns.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib } from '../support/metering.js';
import { startPageServer, type PageServer } from '../support/page-server.js';
import { VIEWER_CHROMIUM_ARGS } from '../support/viewer.js';
import type { MixedParams, MixedReport } from './received.js';
import { openChromiumTab, openFirefoxTab, type BrowserKind, type Tab } from './tabs.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(DIR, '../../fixtures');
const STREAM = 'live/hls-ts/master.m3u8';
const PLAY_SEC = 30;
const STAGGER_MS = 4000;
/** The same live slack the hls.js and Video.js e2e use, so each new segment has time to spread. */
const LIVE_WINDOW_SEGMENTS = 15;
const HLS_LIVE_SYNC_SEC = 22;
const VJS_LIVE_DELAY_SEC = 12;

type Player = 'hlsjs' | 'videojs';
const VIEWERS: readonly { browser: BrowserKind; player: Player }[] = [
  { browser: 'chromium', player: 'hlsjs' },
  { browser: 'firefox', player: 'videojs' },
  { browser: 'firefox', player: 'hlsjs' },
  { browser: 'chromium', player: 'videojs' },
];

/** `/c/<client>/live/hls-ts/240p/seg-00003.ts?live=41` → the fixture file the live simulator served. */
function fixtureFor(url: string): string {
  const p = new URL(url).pathname.replace(/^\/c\/[^/]+/, '').replace(/^\/live\//, '/');
  return path.join(FIXTURES, decodeURIComponent(p));
}

const fileHashes = new Map<string, string>();
function originHash(file: string): string {
  let h = fileHashes.get(file);
  if (h === undefined) {
    h = createHash('sha256').update(readFileSync(file)).digest('hex');
    fileHashes.set(file, h);
  }
  return h;
}

async function waitFor(tab: Tab<MixedReport>, what: string, done: (r: MixedReport) => boolean): Promise<MixedReport> {
  const deadline = Date.now() + 150000;
  for (;;) {
    const r = await tab.report();
    if (r.playback.error) throw new Error(`${tab.label}: media error ${r.playback.error}`);
    if (done(r)) return r;
    if (Date.now() > deadline) {
      throw new Error(`${tab.label}: ${what} not reached; played ${r.playback.playedSec.toFixed(1)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

if (await reexecInNetns()) {
  void describe('mixed swarm e2e: Chromium and Firefox viewers, hls.js and Video.js, one live stream', () => {
    let stack: Stack;
    let pages: PageServer;
    let chromium: ChromiumBrowser;
    let firefox: FirefoxBrowser;
    let scripts: Record<Player, string>;
    const tabs: Tab<MixedReport>[] = [];

    before(async () => {
      stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
      pages = await startPageServer();
      [chromium, firefox] = await Promise.all([launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] }), launchFirefox()]);
      const [hlsjs, videojs] = await Promise.all([
        bundlePageScript(path.join(DIR, 'hlsjs-entry.ts')),
        bundlePageScript(path.join(DIR, 'videojs-entry.ts')),
      ]);
      scripts = { hlsjs, videojs };
    });

    after(async () => {
      await Promise.all(tabs.splice(0).map((t) => t.close()));
      await Promise.all([chromium.close().catch(() => undefined), firefox.close().catch(() => undefined)]);
      await Promise.all([stack.close(), pages.close()]);
    });

    void it(`4 viewers play ${PLAY_SEC} s live without stalls, trade P2P bytes both ways, byte-identical to the origin`, async () => {
      const run = `mixed-${Date.now().toString(36)}`;
      const core = { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } };
      for (const [i, v] of VIEWERS.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
        const label = `${run}-${v.browser}-${v.player}`;
        const tuning =
          v.player === 'hlsjs' ? { liveSyncDurationSec: HLS_LIVE_SYNC_SEC } : { liveDelaySec: VJS_LIVE_DELAY_SEC };
        const params: MixedParams = {
          label,
          manifestUrl: clientUrl(stack.originUrl, label, STREAM),
          p2p: { swarmId: run, core, ...tuning },
        };
        const url = pages.add(label, scripts[v.player], params);
        tabs.push(
          v.browser === 'chromium'
            ? await openChromiumTab<MixedReport>(chromium, label, url)
            : await openFirefoxTab<MixedReport>(firefox, label, url),
        );
      }
      await Promise.all(tabs.map((t) => waitFor(t, `${PLAY_SEC} s played`, (r) => r.playback.playedSec >= PLAY_SEC)));
      const reports = await Promise.all(tabs.map((t) => waitFor(t, 'hashes', (r) => r.hashing === 0)));

      const browserOf = new Map<string, BrowserKind>();
      for (const [i, r] of reports.entries())
        for (const id of r.ownPeerIds) browserOf.set(id, tabs[i]?.browser ?? 'chromium');
      /** P2P bytes received by viewers of one browser from viewers of the other. */
      const across = { chromium: 0, firefox: 0 };
      for (const [i, r] of reports.entries()) {
        const mine = tabs[i]?.browser ?? 'chromium';
        const fromOther = r.peers
          .filter((p) => browserOf.get(p.peerId) !== undefined && browserOf.get(p.peerId) !== mine)
          .reduce((a, p) => a + p.downloadedBytes, 0);
        across[mine] += fromOther;
        console.log(
          `[mixed] ${r.label} (${/(Firefox|Chrome)\/[\d.]+/.exec(r.userAgent)?.[0] ?? '?'}): http ${kib(r.httpBytes)}, ` +
            `p2p ${kib(r.p2pBytes)} (from the other browser ${kib(fromOther)}), up ${kib(r.uploadedBytes)}, ` +
            `segments hashed ${r.received.length}, stalls ${r.playback.stalls.length}, ` +
            `startup ${Math.round(r.playback.startupMs ?? -1)} ms${r.errors.length ? `, errors ${r.errors.join(' | ')}` : ''}`,
        );
      }

      for (const r of reports) {
        assert.deepEqual(r.errors, [], `${r.label}: errors`);
        assert.equal(r.playback.error, undefined, `${r.label}: media error`);
        assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled: ${JSON.stringify(r.playback.stalls)}`);
        assert.ok(r.ownPeerIds.length > 0, `${r.label}: never announced to the tracker`);
      }
      assert.ok(across.chromium > 0, 'Chromium viewers received no P2P bytes from Firefox viewers');
      assert.ok(across.firefox > 0, 'Firefox viewers received no P2P bytes from Chromium viewers');

      // What each player was handed, against the origin's files.
      for (const r of reports) {
        assert.ok(r.received.length >= PLAY_SEC / 2, `${r.label}: only ${r.received.length} segments hashed`);
        for (const seg of r.received) {
          const file = fixtureFor(seg.url);
          assert.equal(
            seg.sha256,
            originHash(file),
            `${r.label}: ${seg.url} (${seg.bytes} bytes) differs from ${file}`,
          );
        }
      }
    });
  });
}
