/**
 * One e2e viewer = one Playwright page on the origin's host (same origin as the media, a secure context on
 * 127.0.0.1) running a bundled player entry. The page is served by Playwright routing, not by the origin, so
 * it never shows up in the origin's byte meter. Player-agnostic: the entry decides what "start" means.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ViewerReport } from './types.js';

/**
 * Extra Chromium flags for viewer pages. Pages served by Playwright routing have no IP address, so Chromium's
 * Local Network Access checks would block their WebSocket to the tracker on 127.0.0.1; and mDNS-obfuscated host
 * candidates do not resolve between headless pages, so WebRTC must see plain 127.0.0.1 candidates.
 */
export const VIEWER_CHROMIUM_ARGS: readonly string[] = [
  '--disable-features=WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks',
];

export interface ViewerOptions {
  /** Shown in logs and reports. */
  label: string;
  originUrl: string;
  /** Bundled page script (see bundle.ts) that reads `window.__viewerParams` and sets `window.__viewer`. */
  script: string;
  /** JSON-serialisable parameters for the entry. */
  params: unknown;
  /** Print the page's console errors and warnings (default true). */
  echoConsole?: boolean;
}

export interface Viewer {
  readonly label: string;
  readonly page: Page;
  report(): Promise<ViewerReport>;
  /** Resolves once `playedSec` ≥ `sec`; rejects on media error or after `timeoutMs`. */
  waitForPlayed(sec: number, timeoutMs: number): Promise<ViewerReport>;
  close(): Promise<void>;
}

/**
 * A context with its blank page, made before a viewer is due. Each context is a window of its own, and headless
 * Chromium loads that window's browser UI (its WebUI omnibox popup, ~0.5 CPU s) in another renderer as it opens:
 * made in advance, that work does not land on top of the viewers starting at the same moment.
 */
export interface BlankViewer {
  readonly context: BrowserContext;
  readonly page: Page;
}

export async function prepareViewer(browser: Browser): Promise<BlankViewer> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** Opens a viewer in `blank` (see prepareViewer) or in a new context. */
export async function openViewer(browser: Browser, o: ViewerOptions, blank?: BlankViewer): Promise<Viewer> {
  const { context, page } = blank ?? (await prepareViewer(browser));
  const base = `${o.originUrl}/__e2e/${encodeURIComponent(o.label)}`;
  const html =
    '<!doctype html><meta charset="utf-8"><title>viewer</title>' +
    '<video id="video" muted playsinline style="width:320px"></video>' +
    `<script>window.__viewerParams = ${JSON.stringify(o.params).replace(/</g, '\\u003c')};</script>` +
    '<script src="viewer.js"></script>';
  await page.route(`${base}/**`, (route) => {
    const isScript = route.request().url().endsWith('/viewer.js');
    return route.fulfill({
      status: 200,
      contentType: isScript ? 'text/javascript' : 'text/html',
      body: isScript ? o.script : html,
    });
  });
  if (o.echoConsole !== false) {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.log(`[${o.label}] ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => console.log(`[${o.label}] pageerror: ${e.message}`));
  }
  await page.goto(`${base}/index.html`);
  // While any route is set, Playwright pauses every request of the page (media, playlists, the tracker socket)
  // until this process lets it go: a busy test process would then add its own delays to the viewer's loads.
  await page.unroute(`${base}/**`);

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
          throw new Error(
            `${o.label}: played only ${r.playback.playedSec.toFixed(1)} s of ${sec} s in ${timeoutMs} ms`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}
