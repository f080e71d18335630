/**
 * The `npm start` dashboard, checked the way a person would: two hls.js viewers of one stream (the second opened
 * with "Add viewer"), then a screenshot of the second one, read back pixel by pixel: the uPlot chart must show
 * the HTTP and P2P-down series, the Cytoscape graph must show "you" and a peer, and the totals a non-zero P2P
 * share. Then the player selector switches to Video.js, to Shaka and to dash.js (DASH only: the dashboard moves it to
 * the first DASH stream), which must play. The screenshot is kept at .tmp/demo-screenshot.png. Skipped when dist/ is
 * not built.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../../scripts/demo-servers.js';
import { launchChromium } from '../../support/browser.js';
import { VIEWER_CHROMIUM_ARGS } from '../support/viewer.js';
import { countColour, decodePng, type Box } from './png.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOT = path.join(ROOT, '.tmp/demo-screenshot.png');
const FIRST_SCREENSHOT = path.join(ROOT, '.tmp/demo-screenshot-first.png');
const STREAM = 'hls-ts/master.m3u8';
const VIEWPORT = { width: 1360, height: 860 };
/** A drawn series or node is hundreds of pixels; a few stray anti-aliased pixels of a similar hue are not. */
const MIN_SERIES_PIXELS = 20;
/** Bottom band of the plot left out of the series counts: zero rates are drawn there. */
const ZERO_LINE_PX = 5;
/** The cards' background (samples/demo.css --card): the chart and the graph draw on it. */
const CARD_BACKGROUND = '#121a24';
const MIN_NODE_PIXELS = 300;

interface DemoState {
  player: string | null;
  stream: string;
  stats: { httpBytes: number; p2pBytes: number; uploadedBytes: number } | null;
  currentTimeSec: number;
  graphNodes: number;
}
interface Colours {
  http: string;
  p2pDown: string;
  p2pUp: string;
  me: string;
  peer: string;
}

const state = (page: Page): Promise<DemoState> =>
  page.evaluate(() => (window as unknown as { swarmcastDemo: { state(): DemoState } }).swarmcastDemo.state());

async function waitForState(page: Page, what: string, ok: (s: DemoState) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await state(page);
    if (ok(s)) return s;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; last state ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is not on screen`);
  return b;
}

/** Saves a screenshot of the page and counts, in it, pixels of each colour inside the chart and the graph. */
async function screenshot(page: Page, file: string) {
  const png = await page.screenshot();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, png);
  const image = decodePng(png);
  const colours = await page.evaluate(
    () => (window as unknown as { swarmcastDemo: { colors: Colours } }).swarmcastDemo.colors,
  );
  // uPlot's plotting area (axes and legend excluded) above the zero line, where every series idles.
  const over = await box(page, '#chart .u-over');
  const plot = { ...over, height: over.height - ZERO_LINE_PX };
  const graph = await box(page, '#graph');
  return {
    chart: (series: keyof Colours) => countColour(image, plot, colours[series], CARD_BACKGROUND),
    graph: (node: keyof Colours) => countColour(image, graph, colours[node], CARD_BACKGROUND),
  };
}

void describe('demo dashboard (npm start)', () => {
  let demo: Demo;
  let browser: Browser;
  let context: BrowserContext;
  const errors: string[] = [];
  const built = existsSync(path.join(ROOT, 'dist/umd/swarmcast-hlsjs.min.js'));
  let second: Page | undefined;

  before(async () => {
    if (!built) return;
    demo = await startDemo({ originPort: 0, trackerPort: 0, pagesPort: 0 });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    context = await browser.newContext({ viewport: VIEWPORT });
    context.on('page', (page) => page.on('pageerror', (e) => errors.push(e.message)));
  });

  after(async () => {
    if (!built) return;
    await browser.close().catch(() => undefined);
    await demo.close();
  });

  void it('shows the chart, the totals and the peer graph with data from two viewers', async (t) => {
    if (!built) {
      t.skip('dist/umd missing: run `npm run build` first');
      return;
    }
    const first = await context.newPage();
    await first.goto(demo.pageUrl({ player: 'hlsjs', stream: STREAM }));
    await waitForState(first, 'the first viewer plays', (s) => s.currentTimeSec > 2, 30000);

    // "Add viewer" opens the same player and stream in a new window: the second viewer.
    const [popup] = await Promise.all([context.waitForEvent('page'), first.click('#add-viewer')]);
    second = popup;
    await second.waitForLoadState();
    const query = new URL(second.url()).searchParams;
    assert.equal(query.get('player'), 'hlsjs');
    assert.equal(query.get('stream'), STREAM);
    await waitForState(second, 'the second viewer gets P2P bytes', (s) => (s.stats?.p2pBytes ?? 0) > 0, 45000);
    // Two chart ticks later the P2P bucket is drawn and the totals are up to date.
    await new Promise((r) => setTimeout(r, 2500));

    const shot = await screenshot(second, SCREENSHOT);
    const firstShot = await screenshot(first, FIRST_SCREENSHOT);
    const s = await state(second);
    const share = await second.locator('#p2p-share').textContent();
    // The second viewer's chart: its download from the first; the first's: its HTTP download and its upload.
    const p2pDownPixels = shot.chart('p2pDown');
    const httpPixels = firstShot.chart('http');
    const p2pUpPixels = firstShot.chart('p2pUp');
    const idleUpPixels = shot.chart('p2pUp');
    console.log(
      `demo: chart pixels P2P down ${p2pDownPixels} (second viewer), HTTP ${httpPixels} and P2P up ${p2pUpPixels} ` +
        `(first viewer), P2P up ${idleUpPixels} (second viewer); graph pixels you ${shot.graph('me')}, peer ${shot.graph('peer')}, nodes ${s.graphNodes}; ` +
        `P2P share ${share}; screenshots ${SCREENSHOT}, ${FIRST_SCREENSHOT}`,
    );
    assert.ok(p2pDownPixels >= MIN_SERIES_PIXELS, `P2P-down series drawn (${p2pDownPixels} px)`);
    assert.ok(httpPixels >= MIN_SERIES_PIXELS, `HTTP series drawn (${httpPixels} px)`);
    assert.ok(p2pUpPixels >= MIN_SERIES_PIXELS, `P2P-up series drawn (${p2pUpPixels} px)`);
    // The counts measure drawn data, not colours that happen to be around: a series without traffic draws none.
    if (s.stats?.uploadedBytes === 0) assert.ok(idleUpPixels < MIN_SERIES_PIXELS, `idle P2P up: ${idleUpPixels} px`);
    assert.ok(shot.graph('me') >= MIN_NODE_PIXELS, `"you" node drawn (${shot.graph('me')} px)`);
    assert.ok(shot.graph('peer') >= MIN_NODE_PIXELS, `peer node drawn (${shot.graph('peer')} px)`);
    assert.ok(s.graphNodes >= 2, `graph has ${s.graphNodes} nodes`);
    assert.ok(Number.parseInt(share ?? '', 10) > 0, `P2P share shown: ${share}`);
    assert.deepEqual(errors, []);
  });

  for (const player of ['videojs', 'shaka', 'dashjs']) {
    void it(`switches the player selector to ${player}, which plays`, async (t) => {
      if (!built || !second) {
        t.skip('needs the dashboard from the first test');
        return;
      }
      await second.selectOption('#player', player);
      const started = await waitForState(
        second,
        `${player} plays`,
        (s) => s.player === player && s.currentTimeSec > 1,
        30000,
      );
      await waitForState(
        second,
        `${player} keeps playing`,
        (s) => s.currentTimeSec > started.currentTimeSec + 1,
        15000,
      );
      // The previous player was torn down: one <video> in the box, and the query names the new player.
      assert.equal(await second.locator('#player-host video').count(), 1);
      assert.equal(new URL(second.url()).searchParams.get('player'), player);
      assert.deepEqual(errors, []);
    });
  }
});
