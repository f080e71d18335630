/**
 * Viewers of the test site's pages: one Chromium context each (no shared cache or storage), with the probe
 * (probe-entry.ts) as init script, every console error and page error collected, and nothing but 127.0.0.1
 * reachable (host-resolver rules in the browser launch: any other host fails to resolve, so no request leaves).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bundlePageScript } from '../../support/bundle.js';
import type { WpPageReport } from '../probe-entry.js';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../probe-entry.ts');

/** Chromium flag: only 127.0.0.1 resolves (pages of a real site would otherwise reach for fonts, emoji, avatars). */
export const LOOPBACK_ONLY_ARGS: readonly string[] = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

export interface WpViewer {
  readonly label: string;
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught page errors so far. */
  readonly errors: string[];
  /** Requests that failed other than by an abort (the player cancelling), with why. */
  readonly failed: { url: string; error: string }[];
  report(): Promise<WpPageReport>;
  /** Resolves once `sec` media seconds played; rejects on a media error or after `timeoutMs`. */
  waitForPlayed(sec: number, timeoutMs: number): Promise<WpPageReport>;
  close(): Promise<void>;
}

export async function openWpViewer(browser: Browser, label: string, url: string): Promise<WpViewer> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  const failed: { url: string; error: string }[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.type() === 'error' || m.type() === 'warning') console.log(`[${label}] ${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // Players abort requests they no longer need (ERR_ABORTED); anything else is worth a line.
    const why = r.failure()?.errorText ?? '';
    if (why === 'net::ERR_ABORTED') return;
    failed.push({ url: r.url(), error: why });
    console.log(`[${label}] request failed: ${r.url()} ${why}`);
  });
  page.on('pageerror', (e) => {
    errors.push(e.message);
    console.log(`[${label}] pageerror: ${e.message}`);
  });
  await page.addInitScript({ content: await bundlePageScript(PROBE) });
  await page.goto(url);
  const report = (): Promise<WpPageReport> =>
    page.evaluate(() => (window as unknown as { __wp: { report(): WpPageReport } }).__wp.report());
  return {
    label,
    page,
    context,
    errors,
    failed,
    report,
    async waitForPlayed(sec, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await report();
        if (r.playback?.error) throw new Error(`${label}: media error ${r.playback.error}`);
        if ((r.playback?.playedSec ?? 0) >= sec) return r;
        if (Date.now() > deadline) {
          throw new Error(
            `${label}: played ${(r.playback?.playedSec ?? 0).toFixed(1)} s of ${sec}: ${JSON.stringify(r)}`,
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
