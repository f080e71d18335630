/**
 * The npm package as an app ships it, in a browser: the packed tarballs installed into a fresh project (see
 * test/support/consumer.ts), the README's hls.js example bundled there by the app's esbuild, served as a page, and
 * two Chromium viewers of one live stream through the real origin and tracker. Viewer 2 must receive bytes from
 * viewer 1 that are the origin's, byte for byte, with no stall.
 *
 * Twice: from http://127.0.0.1 (a secure context: `crypto.subtle` exists), and from a plain-HTTP page on a made-up
 * hostname that Chromium resolves to 127.0.0.1 (`--host-resolver-rules`), media and tracker on such names too. That
 * page is no secure context, so there is no `crypto.subtle`: the tracker's info_hash (SHA-1) and the hash-list
 * checks (SHA-256, `integrity: 'hash-list'`) run on the package's JavaScript digests. Traffic stays on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { makeConsumer, tsBlocks, type Consumer } from '../../support/consumer.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { kib } from '../support/metering.js';
import { startPageServer, type PageServer } from '../support/page-server.js';
import type { ViewerReport } from '../support/types.js';
import { VIEWER_CHROMIUM_ARGS } from '../support/viewer.js';
import type { ConsumerPageParams, ConsumerViewerApi, PeerCopy } from './harness-entry.js';

const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness-entry.ts');
const STREAM = 'live/hls-ts/master.m3u8';
const PLAY_SEC = 20.5;
const STAGGER_MS = 4000;
/** As in the hls.js e2e: P2P live needs viewers some seconds behind the edge (see test/e2e/hlsjs). */
const LIVE_WINDOW_SEGMENTS = 15;
const LIVE_SYNC_SEC = 22;
/** Made-up names: Chromium maps them to 127.0.0.1, so the page is plain HTTP on a host that is not localhost. */
const HOST = 'swarmcast.test';
const HOST_RULES = `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP *.${HOST} 127.0.0.1`;

/**
 * The README's hls.js example, aimed at the test's stream and tracker, its options widened by the page's hooks
 * (test/e2e/package/harness-entry.ts), then handed to them. Each edit must apply exactly once: when the README's
 * example changes, this says so instead of testing something else.
 */
function appSource(example: string): string {
  const edits: [string, string][] = [
    ["'wss://tracker.example.com'", 'page.trackerUrl'],
    ["'https://cdn.example.com/live/master.m3u8'", 'page.manifestUrl'],
    ['p2p: { core: {', 'p2p: { ...page.p2p, core: { ...page.core,'],
  ];
  let code = example;
  for (const [from, to] of edits) {
    assert.equal(code.split(from).length, 2, `the README's hls.js example has no single ${from}:\n${example}`);
    code = code.replace(from, to);
  }
  const header =
    '// The README example, with test hooks (see the e2e harness).\n' +
    '// eslint-disable-next-line @typescript-eslint/no-explicit-any\n' +
    'const page = (window as any).__page;\n';
  return `${header}${code}\npage.attach(hls, video);\n`;
}

interface Swarm {
  /** Base URL of the page server as the browser sees it. */
  pageBase: string;
  mediaBase: string;
  trackerUrl: string;
  core: Record<string, unknown>;
}

/** Calls `window.__viewer[method]()` in the page (see harness-entry.ts). */
function call<K extends keyof ConsumerViewerApi>(page: Page, method: K): Promise<ReturnType<ConsumerViewerApi[K]>> {
  return page.evaluate(
    (m) => (window as unknown as { __viewer: ConsumerViewerApi }).__viewer[m]() as ReturnType<ConsumerViewerApi[K]>,
    method,
  );
}

void describe('the packed package in a browser: the README hls.js example, bundled by the app, two viewers', () => {
  let consumer: Consumer | undefined;
  let stack: Stack | undefined;
  let pages: PageServer | undefined;
  let browser: Browser | undefined;
  let script: string;

  before(async () => {
    const app = makeConsumer();
    consumer = app;
    const example = tsBlocks(readFileSync(path.join(app.dir, 'node_modules/swarmcast/README.md'), 'utf8')).find(
      (code) => code.includes("from 'swarmcast/hlsjs'"),
    );
    assert.ok(example, 'README.md has an hls.js example');
    const entry = path.join(app.dir, 'hlsjs-page.ts');
    writeFileSync(entry, appSource(example));
    const bundled = await build({
      absWorkingDir: app.dir,
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(bundled.metafile.inputs);
    assert.ok(
      inputs.some((file) => file.startsWith('node_modules/swarmcast/dist/esm/')),
      `the bundle does not hold the installed package: ${inputs.join(', ')}`,
    );
    const appScript = bundled.outputFiles[0]?.text;
    assert.ok(appScript, 'esbuild wrote no bundle');
    script = `${await bundlePageScript(HARNESS)}\n;\n${appScript}`;
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } }, control: false });
    pages = await startPageServer();
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS, HOST_RULES] });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await pages?.close();
    await stack?.close();
    consumer?.destroy();
  });

  /** The servers and the browser `before` started. */
  function up(): { stack: Stack; pages: PageServer; browser: Browser } {
    assert.ok(stack && pages && browser, 'setup failed');
    return { stack, pages, browser };
  }

  /** Both viewers' final reports, their pages' contexts, and what peers sent viewer 2, checked against the origin. */
  async function playTwo(swarm: Swarm, name: string) {
    const { pages, browser } = up();
    const run = `${name}-${Date.now().toString(36)}`;
    const contexts: BrowserContext[] = [];
    const views: { label: string; page: Page }[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
        const label = `${run}-v${i + 1}`;
        const params: ConsumerPageParams = {
          label,
          manifestUrl: `${swarm.mediaBase}/${STREAM}`,
          trackerUrl: swarm.trackerUrl,
          p2p: { liveSyncDurationSec: LIVE_SYNC_SEC },
          core: { rtcConfig: { iceServers: [] }, ...swarm.core },
        };
        const url = new URL(pages.add(label, script, params));
        const context = await browser.newContext();
        contexts.push(context);
        const page = await context.newPage();
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') console.log(`[${label}] ${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => console.log(`[${label}] pageerror: ${e.message}`));
        await page.goto(`${swarm.pageBase}${url.pathname}`);
        await page.waitForFunction(() => '__viewer' in window, null, { timeout: 20000 });
        views.push({ label, page });
      }
      const report = (i: number): Promise<ViewerReport> => call(views[i]!.page, 'report');
      const deadline = Date.now() + 120000;
      for (;;) {
        const rs = await Promise.all(views.map((_, i) => report(i)));
        for (const r of rs) if (r.playback.error) throw new Error(`${r.label}: media error ${r.playback.error}`);
        if (rs.every((r) => r.playback.playedSec >= PLAY_SEC)) break;
        if (Date.now() > deadline) throw new Error(`played only ${rs.map((r) => r.playback.playedSec).join(' / ')} s`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const reports = await Promise.all(views.map((_, i) => report(i)));
      const pageContexts = await Promise.all(views.map((v) => call(v.page, 'context')));
      const copies = await call(views[1]!.page, 'peerCopies');
      for (const r of reports) {
        const e = r.engine;
        console.log(
          `[${name}] ${r.label}: http ${kib(e?.httpBytes ?? 0)}, p2p ${kib(e?.p2pBytes ?? 0)}, ` +
            `up ${kib(e?.uploadedBytes ?? 0)}, peers ${e?.peers ?? 0}, integrity ${JSON.stringify(e?.integrity)}, ` +
            `sources ${JSON.stringify(r.sources)}, stalls ${r.playback.stalls.length}` +
            (r.errors.length ? `, errors ${r.errors.slice(0, 5).join(' | ')}` : ''),
        );
      }
      return { reports, pageContexts, copies };
    } finally {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    }
  }

  /** Every segment peers sent viewer 2 equals what the origin serves at that URL (and range). */
  async function assertOriginBytes(copies: PeerCopy[]): Promise<void> {
    assert.ok(copies.length > 0, 'viewer 2 received no segment from a peer');
    for (const copy of copies) {
      const url = new URL(copy.url);
      url.hostname = '127.0.0.1';
      const range = copy.byteRange;
      const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {};
      const res = await fetch(url, { headers });
      assert.ok(res.ok, `${url.href}: ${res.status}`);
      const origin = Buffer.from(await res.arrayBuffer());
      const peer = Buffer.from(copy.base64, 'base64');
      assert.ok(
        peer.equals(origin),
        `${copy.url}: ${peer.length} bytes from a peer differ from the origin's ${origin.length}`,
      );
    }
  }

  function assertPlayedAndShared(reports: ViewerReport[]): void {
    for (const r of reports) {
      assert.equal(r.playback.error, undefined, `${r.label}: media error`);
      assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled after startup`);
      assert.deepEqual(r.errors, [], `${r.label}: errors`);
    }
    const second = reports[1]?.engine;
    assert.ok(second, 'viewer 2 has no engine');
    assert.ok(second.p2pBytes > 0, 'viewer 2 received no P2P bytes');
    const integrity = second.integrity;
    assert.ok(integrity, 'viewer 2 reports no integrity checks');
    assert.equal(integrity.failed, 0, 'bytes from viewer 1 failed the integrity check');
    assert.ok(integrity.verified > 0, 'no P2P segment passed the integrity check');
  }

  void it(`from http://127.0.0.1: both play ${PLAY_SEC} s without stalls, viewer 2 gets the origin's bytes from viewer 1`, async () => {
    const { stack, pages } = up();
    const { reports, pageContexts, copies } = await playTwo(
      { pageBase: pages.url, mediaBase: stack.originUrl, trackerUrl: stack.trackerUrl, core: {} },
      'local',
    );
    assert.ok(
      pageContexts.every((c) => c.secure && c.subtle),
      JSON.stringify(pageContexts),
    );
    assertPlayedAndShared(reports);
    await assertOriginBytes(copies);
  });

  void it(`from http://${HOST} (no secure context, no crypto.subtle): a swarm, hash-list checks, the origin's bytes`, async () => {
    const { stack, pages } = up();
    const on = (base: string, sub: string): string => {
      const u = new URL(base);
      u.hostname = sub ? `${sub}.${HOST}` : HOST;
      return u.href.replace(/\/$/, '');
    };
    const { reports, pageContexts, copies } = await playTwo(
      {
        pageBase: on(pages.url, ''),
        mediaBase: on(stack.originUrl, 'cdn'),
        trackerUrl: on(stack.trackerUrl, 'tracker'),
        core: { integrity: 'hash-list' },
      },
      'insecure',
    );
    for (const c of pageContexts) {
      assert.equal(new URL(c.href).host, new URL(on(pages.url, '')).host, `page at ${c.href}`);
      assert.equal(c.secure, false, `${c.href} is a secure context`);
      assert.equal(c.subtle, false, `${c.href} has crypto.subtle`);
    }
    assertPlayedAndShared(reports);
    await assertOriginBytes(copies);
  });
});
