/**
 * No WebRTC: WebKitGTK (MiniBrowser through WebKitWebDriver under Xvfb: MSE, no `RTCPeerConnection`) and Chromium
 * with `RTCPeerConnection` removed from the page. Every integration (hls.js, Video.js/VHS, Shaka) plays VOD and
 * live next to the same player without swarmcast, on the same page. Asserts for the swarmcast player: it plays
 * without a stall or an error, the engine reports P2P off once (one "P2P unavailable" `warning`, and
 * `p2pAvailable: false`), it never reached the tracker (the tracker counted no connection, the page opened no
 * WebSocket), and the origin's byte meter shows the same requests and bytes, path by path, as for the player
 * alone (live: the same files, none fetched more often).
 *
 * VOD: both players buffer the whole 60 s fixture, then the meter is compared. Live: the origin's live clock
 * stands still while both start (same playlist, same start segment), runs while they play, then stands still
 * again and both are paused, so each fetches up to the same newest segment; media segments are compared then
 * (playlist reloads follow each player's own timer and are only checked to hit the same playlists).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import type { MeterEntry } from '../../support/origin/meter.js';
import { startStack, type Stack } from '../../support/stack.js';
import { startWebKitDriver, type WebKitDriver, type WebKitSession } from '../../support/webkit.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib } from '../support/metering.js';
import { startPageServer, type PageServer } from '../support/page-server.js';
import { VIEWER_CHROMIUM_ARGS } from '../support/viewer.js';
import { PausableClock } from './no-webrtc/clock.js';
import type { NoWebrtcParams, NoWebrtcReport } from './no-webrtc/page.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'no-webrtc');
const LIVE_WINDOW_SEGMENTS = 10;
const LIVE_PLAY_SEC = 8;
const P2P_OFF = 'P2P unavailable, HTTP only';
/**
 * WebKitGTK under Xvfb does not yet play both players of a page reliably: one of two hls.js players stays at its
 * first frame, Video.js players at 0 with the VOD buffered, Shaka's live HLS buffers nothing, with or without
 * swarmcast. Until that is understood its cases run only when asked for.
 */
const WEBKIT = process.env.SWARMCAST_E2E_WEBKIT === '1';
const WEBKIT_SKIP = 'WebKitGTK playback of two players on one page is not reliable yet; SWARMCAST_E2E_WEBKIT=1 runs it';

type Integration = 'hlsjs' | 'vhs' | 'shaka';
type BrowserKind = 'webkit' | 'chromium';
/** One rendition each (so ABR cannot make the two players differ): a media playlist, or Shaka restricted to 240p. */
const STREAMS: Record<Integration, { vod: string; live: string }> = {
  hlsjs: { vod: 'hls-ts/240p/index.m3u8', live: 'live/hls-ts/240p/index.m3u8' },
  vhs: { vod: 'hls-ts/240p/index.m3u8', live: 'live/hls-ts/240p/index.m3u8' },
  // DASH for VOD; HLS for live, whose window follows the origin's clock alone (a DASH player computes the live
  // edge from its own wall clock, which the test does not stop).
  shaka: { vod: 'cmaf/manifest.mpd', live: 'live/cmaf/master.m3u8' },
};

interface Tab {
  report(): Promise<NoWebrtcReport>;
  pause(): Promise<void>;
  close(): Promise<void>;
}

const isPlaylist = (p: string): boolean => /\.(m3u8|mpd)$/.test(p);

function split(paths: Record<string, MeterEntry>): {
  media: Record<string, MeterEntry>;
  playlists: string[];
  mediaBytes: number;
} {
  const media: Record<string, MeterEntry> = {};
  let mediaBytes = 0;
  for (const [p, e] of Object.entries(paths)) {
    if (isPlaylist(p)) continue;
    media[p] = e;
    mediaBytes += e.bytes;
  }
  return { media, playlists: Object.keys(paths).filter(isPlaylist).sort(), mediaBytes };
}

async function poll(tab: Tab, what: string, done: (r: NoWebrtcReport) => boolean, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await tab.report();
    if (done(r)) return r;
    if (r.plain.playback.error || r.p2p.playback.error) {
      throw new Error(`${r.label}: media error ${r.plain.playback.error ?? ''} ${r.p2p.playback.error ?? ''}`);
    }
    if (Date.now() > deadline) throw new Error(`${r.label}: ${what} not reached: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

void describe('no WebRTC e2e: WebKitGTK and Chromium without RTCPeerConnection play over HTTP as the player alone', () => {
  const clock = new PausableClock();
  let stack: Stack;
  let pages: PageServer;
  let chromium: Browser;
  let webkit: WebKitDriver;
  let session: WebKitSession;
  let scripts: Record<Integration, string>;

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS, now: clock.now } } });
    pages = await startPageServer();
    const [hlsjs, vhs, shaka] = await Promise.all(
      ['hlsjs', 'vhs', 'shaka'].map((name) => bundlePageScript(path.join(DIR, `${name}-entry.ts`))),
    );
    scripts = { hlsjs: hlsjs ?? '', vhs: vhs ?? '', shaka: shaka ?? '' };
    chromium = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    if (WEBKIT) {
      webkit = await startWebKitDriver();
      session = await webkit.newSession();
    }
  });

  after(async () => {
    if (WEBKIT) {
      await session.close().catch(() => undefined);
      await webkit.close();
    }
    await chromium.close().catch(() => undefined);
    await Promise.all([stack.close(), pages.close()]);
  });

  async function open(browser: BrowserKind, url: string): Promise<Tab> {
    if (browser === 'webkit') {
      await session.goto(url);
      return {
        // WebDriver sends `undefined` as null: read it back as undefined, as the other drivers give it.
        report: async () =>
          JSON.parse(
            JSON.stringify(await session.evaluate<NoWebrtcReport>('return window.__viewer.report();')),
            (_key, value: unknown) => (value === null ? undefined : value),
          ) as NoWebrtcReport,
        pause: () => session.evaluate<undefined>('window.__viewer.pause();'),
        // Leaving the page stops both players.
        close: () => session.goto('about:blank'),
      };
    }
    const context = await chromium.newContext();
    // The "no WebRTC" Chromium: the page sees no RTCPeerConnection at all, as in a browser built without it.
    await context.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      delete w.RTCPeerConnection;
      delete w.webkitRTCPeerConnection;
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`[chromium] ${m.text()}`);
    });
    await page.goto(url);
    return {
      report: () =>
        page.evaluate(() => (window as unknown as { __viewer: { report(): NoWebrtcReport } }).__viewer.report()),
      pause: () => page.evaluate(() => (window as unknown as { __viewer: { pause(): void } }).__viewer.pause()),
      close: () => context.close(),
    };
  }

  /** Opens the page: the player alone and the player with swarmcast, each with its own origin client id. */
  async function openCase(browser: BrowserKind, integration: Integration, live: boolean) {
    const label = `nowebrtc-${browser}-${integration}-${live ? 'live' : 'vod'}-${Date.now().toString(36)}`;
    const stream = STREAMS[integration][live ? 'live' : 'vod'];
    const ids = { plain: `${label}-plain`, p2p: `${label}-p2p` };
    const params: NoWebrtcParams = {
      label,
      plainUrl: clientUrl(stack.originUrl, ids.plain, stream),
      p2pUrl: clientUrl(stack.originUrl, ids.p2p, stream),
      trackerUrl: stack.trackerUrl,
    };
    const tab = await open(browser, pages.add(label, scripts[integration], params));
    return { tab, ids, label };
  }

  /** Waits until neither client's media bytes moved for two polls in a row. */
  async function settled(ids: { plain: string; p2p: string }): Promise<void> {
    let last = '';
    let still = 0;
    const deadline = Date.now() + 30000;
    while (still < 2) {
      if (Date.now() > deadline) throw new Error('origin traffic did not settle');
      await new Promise((r) => setTimeout(r, 1000));
      const now = JSON.stringify([ids.plain, ids.p2p].map((id) => split(stack.origin.meter.pathsFor(id)).media));
      still = now === last ? still + 1 : 0;
      last = now;
    }
  }

  function assertP2POff(r: NoWebrtcReport): void {
    assert.equal(r.hasRTCPeerConnection, false, `${r.label}: the page has RTCPeerConnection`);
    for (const side of ['plain', 'p2p'] as const) {
      assert.deepEqual(r[side].errors, [], `${r.label} ${side}: errors`);
      assert.equal(r[side].playback.error, undefined, `${r.label} ${side}: media error`);
      assert.deepEqual(
        r[side].playback.stalls,
        [],
        `${r.label} ${side}: stalls ${JSON.stringify(r[side].playback.stalls)}`,
      );
    }
    const off = r.p2p.warnings.filter((w) => w.includes(P2P_OFF));
    assert.equal(
      off.length,
      1,
      `${r.label}: expected one "P2P unavailable" warning, got ${JSON.stringify(r.p2p.warnings)}`,
    );
    assert.equal(r.p2p.p2pAvailable, false, `${r.label}: stats say P2P is available`);
    assert.equal(r.p2p.p2pBytes, 0);
    assert.equal(r.socketsCreated, 0, `${r.label}: the page opened a WebSocket`);
  }

  function compare(label: string, ids: { plain: string; p2p: string }, live: boolean): void {
    const plain = stack.origin.meter.pathsFor(ids.plain);
    const p2p = stack.origin.meter.pathsFor(ids.p2p);
    const a = split(plain);
    const b = split(p2p);
    console.log(
      `[no-webrtc] ${label}: player alone ${kib(stack.origin.meter.bytesFor(ids.plain))} ` +
        `(media ${kib(a.mediaBytes)}, ${Object.keys(a.media).length} files), with swarmcast ` +
        `${kib(stack.origin.meter.bytesFor(ids.p2p))} (media ${kib(b.mediaBytes)}, ${Object.keys(b.media).length} files)`,
    );
    assert.ok(
      Object.keys(a.media).length >= (live ? 3 : 20),
      `${label}: the player alone fetched too little to compare`,
    );
    assert.deepEqual(Object.keys(b.media).sort(), Object.keys(a.media).sort(), `${label}: other media files`);
    assert.deepEqual(b.playlists, a.playlists, `${label}: other playlists than the player alone`);
    if (!live) {
      // VOD loads each playlist once: every request, playlists included, must match.
      assert.deepEqual(p2p, plain, `${label}: origin requests differ from the player alone`);
      return;
    }
    // Live: no file fetched more often or for more bytes than by the player alone. (Shaka's HLS parser fetches a
    // live stream's first segments twice, once to read their timestamps; swarmcast's store answers the second.)
    for (const [file, alone] of Object.entries(a.media)) {
      const mine = b.media[file];
      assert.ok(
        mine !== undefined && mine.bytes <= alone.bytes && mine.requests <= alone.requests,
        `${label}: ${file}: ${JSON.stringify(mine)} with swarmcast, ${JSON.stringify(alone)} alone`,
      );
    }
  }

  for (const browser of ['webkit', 'chromium'] as const) {
    for (const integration of ['hlsjs', 'vhs', 'shaka'] as const) {
      const skip = browser === 'webkit' && !WEBKIT ? WEBKIT_SKIP : false;
      void it(
        `${browser}, ${integration}: VOD and live over HTTP, P2P off once, no tracker, origin bytes as alone`,
        { skip },
        async () => {
          const trackerConnections = stack.tracker?.connections ?? 0;

          const vod = await openCase(browser, integration, false);
          try {
            await poll(
              vod.tab,
              'VOD fully buffered, 3 s played, P2P reported off',
              (r) =>
                (['plain', 'p2p'] as const).every(
                  (k) => r[k].playback.playedSec >= 3 && r[k].bufferedEndSec >= r[k].durationSec - 0.5,
                ) && r.p2p.warnings.length > 0,
            );
            await settled(vod.ids);
            assertP2POff(await vod.tab.report());
            compare(vod.label, vod.ids, false);
          } finally {
            await vod.tab.close();
          }

          clock.freeze();
          const live = await openCase(browser, integration, true);
          try {
            await poll(live.tab, 'both live players started', (r) =>
              (['plain', 'p2p'] as const).every((k) => r[k].playback.startupMs !== undefined),
            );
            clock.resume();
            await poll(
              live.tab,
              `${LIVE_PLAY_SEC} s of live played, P2P reported off`,
              (r) =>
                (['plain', 'p2p'] as const).every((k) => r[k].playback.playedSec >= LIVE_PLAY_SEC) &&
                r.p2p.warnings.length > 0,
            );
            clock.freeze();
            await live.tab.pause();
            await settled(live.ids);
            assertP2POff(await live.tab.report());
            compare(live.label, live.ids, true);
          } finally {
            clock.resume();
            await live.tab.close();
          }

          assert.equal(stack.tracker?.connections, trackerConnections, 'the tracker saw a connection');
        },
      );
    }
  }
});
