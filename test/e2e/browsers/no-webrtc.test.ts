/**
 * No WebRTC: WebKitGTK (MiniBrowser through WebKitWebDriver under Xvfb: MSE, no `RTCPeerConnection`) and Chromium
 * with `RTCPeerConnection` removed from the page. Every integration (hls.js, Video.js/VHS, Shaka, dash.js) plays
 * VOD and live, on one page the player alone and on another the player with swarmcast (one player per page:
 * WebKitGTK 2.50's GStreamer MSE does not play two players of one page reliably). Asserts for both: they play
 * without a stall or an error and open no WebSocket; for the swarmcast page: the engine reports P2P off once
 * (one "P2P unavailable" `warning`, and `p2pAvailable: false`), the tracker counted no connection, and the
 * origin's byte meter shows the same requests and bytes, path by path, as for the player alone (live: the same
 * files but for the newest of a track, none fetched more often). WebKitGTK cases measured unreliable on the test
 * machine are skipped with what was seen (WEBKIT_UNRELIABLE).
 *
 * VOD: each page buffers the whole 60 s fixture, then the meter is compared. Live: the origin's live clock is set
 * to the same instant (a little into a segment) when each page's player starts, and each page is closed at the
 * same later instant (mid-segment), so both see the same window move alike and fetch the same segments.
 * WebKitGTK's two pages run one after the other (its sessions share one X display and GStreamer), Chromium's
 * side by side.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { startWebKitDriver, type WebKitDriver } from '../../support/webkit.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib } from '../support/metering.js';
import { startPageServer, type PageServer } from '../support/page-server.js';
import { VIEWER_CHROMIUM_ARGS } from '../support/viewer.js';
import { ReplayClock } from './no-webrtc/clock.js';
import { assertP2POff, assertPlayedClean, assertSameOrigin, splitPaths } from './no-webrtc/compare.js';
import type { NoWebrtcParams, NoWebrtcReport } from './no-webrtc/page.js';
import { openChromiumTab, openWebKitTab, type BrowserKind, type NoWebrtcTab } from './no-webrtc/tabs.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'no-webrtc');
const SEGMENT_MS = 2000;
const LIVE_WINDOW_SEGMENTS = 10;
/** Live: each player starts this far into a segment and its page closes 7.5 segments later (15 s, mid-segment). */
const LIVE_START_INTO_SEGMENT_MS = 300;
const LIVE_CLOSE_AFTER_MS = 7 * SEGMENT_MS + SEGMENT_MS / 2 - LIVE_START_INTO_SEGMENT_MS;
const LIVE_PLAY_SEC = 8;
const VOD_PLAY_SEC = 3;
const PAGE_TIMEOUT_MS = 60000;

type Integration = 'hlsjs' | 'vhs' | 'shaka' | 'dashjs';
type Side = 'plain' | 'p2p';
const INTEGRATIONS: readonly Integration[] = ['hlsjs', 'vhs', 'shaka', 'dashjs'];
/**
 * One rendition each (so ABR cannot make the two pages differ): a media playlist, or the player held on 240p.
 * CMAF throughout: WebKitGTK's GStreamer MSE left hls.js and VHS players of the MPEG-TS fixture (transmuxed, its
 * buffer starting at 0.12 s) at their first frame with the whole VOD buffered, with or without swarmcast.
 */
const STREAMS: Record<Integration, { vod: string; live: string }> = {
  hlsjs: { vod: 'cmaf/v240/index.m3u8', live: 'live/cmaf/v240/index.m3u8' },
  vhs: { vod: 'cmaf/v240/index.m3u8', live: 'live/cmaf/v240/index.m3u8' },
  shaka: { vod: 'cmaf/manifest.mpd', live: 'live/cmaf/manifest.mpd' },
  dashjs: { vod: 'cmaf/manifest.mpd', live: 'live/cmaf/manifest.mpd' },
};

/**
 * WebKitGTK 2.50 cases that did not play reliably on the 2-core test machine (loaded by other runs), each with
 * what was seen, with or without swarmcast alike; `SWARMCAST_E2E_WEBKIT=1` runs them anyway. The others run by
 * default.
 */
const WEBKIT_UNRELIABLE: Partial<Record<`${Integration}-${'vod' | 'live'}`, string>> = {
  'vhs-vod': 'WebKitGTK 2.50: VHS alone leaves the fully buffered VOD at 0 s, readyState 2 (player alone, every run)',
  'vhs-live': 'WebKitGTK 2.50: not run while VHS alone cannot start its VOD there',
  'dashjs-live':
    "WebKitGTK 2.50: dash.js live hung the page in 2 of 4 runs (WebDriver's execute-script never returned)",
};
const WEBKIT_ALL = process.env.SWARMCAST_E2E_WEBKIT === '1';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function poll(tab: NoWebrtcTab, what: string, done: (r: NoWebrtcReport) => boolean): Promise<NoWebrtcReport> {
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  for (;;) {
    const r = await tab.report();
    if (done(r)) return r;
    if (r.playback.error) throw new Error(`${r.label}: media error ${r.playback.error}`);
    if (Date.now() > deadline) throw new Error(`${r.label}: ${what} not reached: ${JSON.stringify(r)}`);
    await sleep(250);
  }
}

void describe('no WebRTC e2e: WebKitGTK and Chromium without RTCPeerConnection play over HTTP as the player alone', () => {
  const epochMs = Math.floor(Date.now() / SEGMENT_MS) * SEGMENT_MS;
  const clock = new ReplayClock(SEGMENT_MS);
  let stack: Stack;
  let pages: PageServer;
  let chromium: Browser;
  let webkit: WebKitDriver;
  const scripts = new Map<Integration, string>();

  before(async () => {
    stack = await startStack({
      origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS, startEpochMs: epochMs, now: clock.now } },
    });
    pages = await startPageServer();
    await Promise.all(
      INTEGRATIONS.map(async (name) => {
        scripts.set(name, await bundlePageScript(path.join(DIR, `${name}-entry.ts`)));
      }),
    );
    chromium = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    webkit = await startWebKitDriver();
  });

  after(async () => {
    await webkit.close();
    await chromium.close().catch(() => undefined);
    await Promise.all([stack.close(), pages.close()]);
  });

  /** Waits until the client's media bytes did not move for two polls in a row. */
  async function settled(id: string): Promise<void> {
    let last = '';
    let still = 0;
    const deadline = Date.now() + 30000;
    while (still < 2) {
      if (Date.now() > deadline) throw new Error(`${id}: origin traffic did not settle`);
      await sleep(700);
      const now = JSON.stringify(splitPaths(stack.origin.meter.pathsFor(id)).media);
      still = now === last ? still + 1 : 0;
      last = now;
    }
  }

  /**
   * Plays one case's two pages (side by side, or one after the other) and returns what each reported: VOD once
   * fully buffered and played a little, live at the closing instant.
   */
  async function playCase(browser: BrowserKind, integration: Integration, live: boolean) {
    const label = `nowebrtc-${browser}-${integration}-${live ? 'live' : 'vod'}-${Date.now().toString(36)}`;
    const stream = STREAMS[integration][live ? 'live' : 'vod'];
    const ids: Record<Side, string> = { plain: `${label}-plain`, p2p: `${label}-p2p` };
    const startAt = clock.nextStart(epochMs, LIVE_START_INTO_SEGMENT_MS);
    const closeAt = startAt + LIVE_CLOSE_AFTER_MS;
    const reports: Partial<Record<Side, NoWebrtcReport>> = {};
    const groups: Side[][] = browser === 'chromium' ? [['plain', 'p2p']] : [['plain'], ['p2p']];
    for (const group of groups) {
      const tabs: NoWebrtcTab[] = [];
      try {
        for (const side of group) {
          const params: NoWebrtcParams = {
            label: ids[side],
            manifestUrl: clientUrl(stack.originUrl, ids[side], stream),
            trackerUrl: stack.trackerUrl,
            p2p: side === 'p2p',
          };
          const url = pages.add(ids[side], scripts.get(integration) ?? '', params);
          tabs.push(browser === 'webkit' ? await openWebKitTab(webkit, url) : await openChromiumTab(chromium, url));
        }
        if (live) clock.runFrom(startAt);
        await Promise.all(tabs.map((t) => t.start()));
        const done = live
          ? () => clock.now() >= closeAt
          : (r: NoWebrtcReport) =>
              r.playback.playedSec >= VOD_PLAY_SEC &&
              r.bufferedEndSec >= r.durationSec - 0.5 &&
              (r.p2pAvailable === undefined || r.warnings.length > 0);
        const got = await Promise.all(tabs.map((t) => poll(t, live ? 'closing instant' : 'VOD buffered', done)));
        group.forEach((side, i) => (reports[side] = got[i]));
      } finally {
        await Promise.all(tabs.map((t) => t.close().catch(() => undefined)));
      }
      await Promise.all(group.map((side) => settled(ids[side])));
    }
    const { plain, p2p } = reports;
    assert.ok(plain && p2p);
    return { label, ids, plain, p2p };
  }

  for (const browser of ['webkit', 'chromium'] as const) {
    for (const integration of INTEGRATIONS) {
      for (const live of [false, true]) {
        const mode = live ? 'live' : 'VOD';
        const skip =
          browser === 'webkit' && !WEBKIT_ALL
            ? WEBKIT_UNRELIABLE[`${integration}-${live ? 'live' : 'vod'}`]
            : undefined;
        void it(
          `${browser}, ${integration}: ${mode} over HTTP, P2P off once, no tracker, origin bytes as alone`,
          { skip: skip ?? false },
          async () => {
            const trackerConnections = stack.tracker?.connections ?? 0;
            const startedMs = Date.now();
            const c = await playCase(browser, integration, live);
            const paths = {
              plain: stack.origin.meter.pathsFor(c.ids.plain),
              p2p: stack.origin.meter.pathsFor(c.ids.p2p),
            };
            console.log(
              `[no-webrtc] ${c.label}: player alone ${kib(stack.origin.meter.bytesFor(c.ids.plain))} ` +
                `(${Object.keys(splitPaths(paths.plain).media).length} media files), with swarmcast ` +
                `${kib(stack.origin.meter.bytesFor(c.ids.p2p))} (${Object.keys(splitPaths(paths.p2p).media).length}), ` +
                `played ${c.plain.playback.playedSec.toFixed(1)} s / ${c.p2p.playback.playedSec.toFixed(1)} s, ` +
                `${((Date.now() - startedMs) / 1000).toFixed(1)} s`,
            );
            const minPlayed = live ? LIVE_PLAY_SEC : VOD_PLAY_SEC;
            assertPlayedClean(c.plain, minPlayed);
            assertPlayedClean(c.p2p, minPlayed);
            assert.equal(c.plain.p2pAvailable, undefined, `${c.label}: the player alone has an engine`);
            assertP2POff(c.p2p);
            assertSameOrigin(c.label, paths.plain, paths.p2p, live);
            assert.equal(stack.tracker?.connections, trackerConnections, 'the tracker saw a connection');
          },
        );
      }
    }
  }
});
