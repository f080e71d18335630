/**
 * One viewer tab in Chromium (playwright-core) or Firefox (puppeteer-core over WebDriver BiDi), behind one small
 * interface: open a page-server URL in a fresh browser context, read `window.__viewer.report()`, close.
 */
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';

export type BrowserKind = 'chromium' | 'firefox';

export interface Tab<R> {
  readonly label: string;
  readonly browser: BrowserKind;
  report(): Promise<R>;
  close(): Promise<void>;
}

function echo(label: string, type: string, text: string): void {
  if (type === 'error' || type === 'warning' || type === 'warn') console.log(`[${label}] ${type}: ${text}`);
}

/** Runs in the page (serialised by the driver: it may use nothing from this module). */
const readReport = (): unknown => (window as unknown as { __viewer: { report(): unknown } }).__viewer.report();

export async function openChromiumTab<R>(browser: ChromiumBrowser, label: string, url: string): Promise<Tab<R>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (m) => echo(label, m.type(), m.text()));
  page.on('pageerror', (e) => echo(label, 'error', `pageerror ${e.message}`));
  await page.goto(url);
  return {
    label,
    browser: 'chromium',
    report: () => page.evaluate(readReport) as Promise<R>,
    close: () => context.close().catch(() => undefined),
  };
}

export async function openFirefoxTab<R>(browser: FirefoxBrowser, label: string, url: string): Promise<Tab<R>> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('console', (m) => echo(label, m.type(), m.text()));
  page.on('pageerror', (e) => echo(label, 'error', `pageerror ${e instanceof Error ? e.message : String(e)}`));
  await page.goto(url);
  return {
    label,
    browser: 'firefox',
    report: () => page.evaluate(readReport) as Promise<R>,
    close: () => context.close().catch(() => undefined),
  };
}
