/**
 * One page of the no-WebRTC e2e, in WebKitGTK (through its WebDriver: a session of its own per page, so no page
 * inherits a media pipeline from the one before) or in Chromium with `RTCPeerConnection` removed (a context of its
 * own per page).
 */
import type { Browser } from 'playwright-core';
import type { WebKitDriver } from '../../../support/webkit.js';
import type { NoWebrtcReport, NoWebrtcViewer } from './page.js';

export type BrowserKind = 'webkit' | 'chromium';

export interface NoWebrtcTab {
  start(): Promise<void>;
  report(): Promise<NoWebrtcReport>;
  close(): Promise<void>;
}

interface ViewerWindow {
  __viewer: NoWebrtcViewer;
}

export async function openWebKitTab(driver: WebKitDriver, url: string): Promise<NoWebrtcTab> {
  const session = await driver.newSession();
  try {
    await session.goto(url);
  } catch (e) {
    await session.close();
    throw e;
  }
  return {
    start: () => session.evaluate<undefined>('window.__viewer.start();'),
    // WebDriver sends `undefined` as null: read it back as undefined, as the other drivers give it.
    report: async () =>
      JSON.parse(
        JSON.stringify(await session.evaluate<NoWebrtcReport>('return window.__viewer.report();')),
        (_key, value: unknown) => (value === null ? undefined : value),
      ) as NoWebrtcReport,
    close: () => session.close(),
  };
}

export async function openChromiumTab(chromium: Browser, url: string): Promise<NoWebrtcTab> {
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
    start: () => page.evaluate(() => (window as unknown as ViewerWindow).__viewer.start()),
    report: () => page.evaluate(() => (window as unknown as ViewerWindow).__viewer.report()),
    close: () => context.close(),
  };
}
