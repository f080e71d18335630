/**
 * hls.js + swarmcast end to end: three Chromium pages (three viewers) play the same stream through a real
 * tracker and real WebRTC, against the real origin and its byte meter, after one plain hls.js viewer has played
 * it alone (the HTTP-only baseline, same conditions). For each stream: no stall after startup, at least two
 * viewers receive P2P bytes, and the three together cost the origin ≤ 1.8 × what the lone viewer cost.
 *
 * e2e: exclusive (several viewers and an offload ratio; never overlaps another such file, see scripts/test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Hls from 'hls.js';
import type { Browser } from 'playwright-core';
import type { HlsWithP2P, withP2P } from '../../../integrations/hlsjs/index.js';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib, originBytes, percent } from '../support/metering.js';
import type { ViewerReport } from '../support/types.js';
import { VIEWER_CHROMIUM_ARGS, openViewer, type Viewer } from '../support/viewer.js';
import type { HlsViewerParams } from './viewer-entry.js';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-entry.ts');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Media seconds each viewer must play (the claim is ≥ 30 s). */
const PLAY_SEC = 30.5;
const STAGGER_MS = 4000;
const MAX_ORIGIN_RATIO = 1.8;
/**
 * Live: a 30 s window and viewers 22 s behind the edge (opt-in `liveSyncDurationSec` for P2P viewers; the same
 * distance set directly in hls.js for the baseline, so both play in the same conditions). At the default 6 s
 * every new segment is urgent for everyone at once and goes over HTTP; P2P live needs this slack.
 */
const LIVE_WINDOW_SEGMENTS = 15;
const LIVE_SYNC_SEC = 22;

function liveConfig(live: boolean): Pick<HlsViewerParams, 'hlsConfig'> {
  return live ? { hlsConfig: { liveSyncDuration: LIVE_SYNC_SEC } } : {};
}

const ALL_STREAMS = [
  { name: 'hls-ts', path: 'hls-ts/master.m3u8', live: false },
  { name: 'cmaf', path: 'cmaf/master.m3u8', live: false },
  { name: 'live', path: 'live/hls-ts/master.m3u8', live: true },
];
/** `SWARMCAST_E2E_STREAMS=cmaf,live` runs a subset while iterating. */
const only = process.env.SWARMCAST_E2E_STREAMS?.split(',');
const STREAMS = ALL_STREAMS.filter((s) => !only || only.includes(s.name));

const ABR_THROTTLE_BYTES_PER_SEC = 24000;
const ABR_FRAGMENTS = 16;

async function waitForFragments(v: Viewer, count: number): Promise<ViewerReport> {
  const deadline = Date.now() + 120000;
  for (;;) {
    const r = await v.report();
    if (r.levels.length >= count) return r;
    if (Date.now() > deadline) throw new Error(`${v.label}: only ${r.levels.length} fragments loaded`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The level most of the last five main fragments were loaded at. */
function settledLevel(levels: number[]): number {
  const counts = new Map<number, number>();
  for (const l of levels.slice(-5)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
}

/** Globals of a script-tag page: hls.js UMD, then the swarmcast hls.js UMD bundle. */
interface UmdWindow {
  Hls: typeof Hls;
  swarmcast: { hlsjs: { withP2P: typeof withP2P } };
  hls?: HlsWithP2P;
}

interface Measured {
  report: ViewerReport;
  /** Origin bytes of this viewer when it reached PLAY_SEC. */
  originBytes: number;
}

async function playAndMeasure(stack: Stack, viewer: Viewer, clientId: string): Promise<Measured> {
  const report = await viewer.waitForPlayed(PLAY_SEC, 120000);
  return { report, originBytes: originBytes(stack, clientId) };
}

function assertNoStall(r: ViewerReport): void {
  assert.equal(r.playback.error, undefined, `${r.label}: media error`);
  assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled after startup: ${JSON.stringify(r.playback.stalls)}`);
}

void describe('hls.js e2e: three viewers, real tracker, origin byte meter', () => {
  let stack: Stack;
  let browser: Browser;
  let script: string;
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    script = await bundlePageScript(ENTRY);
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  async function viewer(label: string, params: HlsViewerParams): Promise<Viewer> {
    const v = await openViewer(browser, { label, originUrl: stack.originUrl, script, params });
    open.push(v);
    return v;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(open.splice(0).map((v) => v.close()));
  }

  void it('UMD bundle: script-tag users get swarmcast.hlsjs.withP2P on top of the global Hls', async (t) => {
    const umd = path.join(ROOT, 'dist/umd/swarmcast-hlsjs.min.js');
    if (!existsSync(umd)) {
      t.skip('dist/umd/swarmcast-hlsjs.min.js missing: run `npm run build` first');
      return;
    }
    const scripts = [
      readFileSync(path.join(ROOT, 'node_modules/hls.js/dist/hls.min.js'), 'utf8'),
      readFileSync(umd, 'utf8'),
    ];
    const id = `umd-${Date.now().toString(36)}`;
    const page = await browser.newPage();
    try {
      await page.route(`${stack.originUrl}/__umd/**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><video id="v" muted playsinline></video>' }),
      );
      await page.goto(`${stack.originUrl}/__umd/index.html`);
      for (const content of scripts) await page.addScriptTag({ content });
      const manifestUrl = clientUrl(stack.originUrl, id, 'hls-ts/master.m3u8');
      await page.evaluate(
        ({ manifestUrl, trackerUrl }) => {
          const w = window as unknown as UmdWindow;
          const hls = new (w.swarmcast.hlsjs.withP2P(w.Hls))({ p2p: { core: { trackerUrls: [trackerUrl] } } });
          const video = document.getElementById('v') as HTMLVideoElement;
          hls.loadSource(manifestUrl);
          hls.attachMedia(video);
          void video.play();
          w.hls = hls;
        },
        { manifestUrl, trackerUrl: stack.trackerUrl },
      );
      await page.waitForFunction(() => (document.getElementById('v') as HTMLVideoElement).currentTime > 3, null, {
        timeout: 30000,
      });
      const httpBytes = await page.evaluate(
        () =>
          (window as unknown as { hls: { p2p: { getStats(): { httpBytes: number } } } }).hls.p2p.getStats().httpBytes,
      );
      assert.ok(httpBytes > 0, 'the engine loaded nothing');
    } finally {
      await page.close();
    }
  });

  void it('ABR: with a throttled origin, P2P viewers settle within one rendition of HTTP-only hls.js', async () => {
    const run = `abr-${Date.now().toString(36)}`;
    // ≈ 190 kb/s per connection: plain hls.js settles on the middle rendition (139 kb/s), not the top (184 kb/s).
    stack.origin.setThrottle({ bandwidthBytesPerSec: ABR_THROTTLE_BYTES_PER_SEC });
    try {
      const hlsConfig = { startLevel: 0 };
      const p2p: HlsViewerParams['p2p'] = {
        swarmId: run,
        core: { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } },
      };
      const open = (id: string, withP2P: boolean): Promise<Viewer> =>
        viewer(id, {
          label: id,
          manifestUrl: clientUrl(stack.originUrl, id, 'hls-ts/master.m3u8'),
          hlsConfig,
          ...(withP2P ? { p2p } : {}),
        });
      // The HTTP-only viewer and the seeder start together; the tested viewer joins when the seeder has segments.
      const http = await open(`${run}-http`, false);
      const seeder = await open(`${run}-seed`, true);
      await new Promise((r) => setTimeout(r, STAGGER_MS));
      const tested = await open(`${run}-p2p`, true);
      const [httpReport, testedReport] = await Promise.all([
        waitForFragments(http, ABR_FRAGMENTS),
        waitForFragments(tested, ABR_FRAGMENTS),
      ]);
      const seederReport = await seeder.report();
      await closeAll();
      const base = settledLevel(httpReport.levels);
      const withPeers = settledLevel(testedReport.levels);
      const e = testedReport.engine;
      console.log(
        `\n[abr] http-only levels ${httpReport.levels.join('')} → ${base}; seeder ${seederReport.levels.join('')}; ` +
          `p2p viewer levels ${testedReport.levels.join('')} → ${withPeers}, p2p ${kib(e?.p2pBytes ?? 0)} ` +
          `(${percent(e?.p2pBytes ?? 0, (e?.p2pBytes ?? 0) + (e?.httpBytes ?? 0))})`,
      );
      const top = 2;
      assert.ok(Math.abs(withPeers - base) <= 1, `settled on ${withPeers}, HTTP-only on ${base}`);
      if (base < top) assert.ok(withPeers < top, 'P2P viewer settled on the top rendition');
      assert.ok((e?.p2pBytes ?? 0) > 0, 'the tested viewer received no P2P bytes: the check proves nothing');
    } finally {
      stack.origin.setThrottle({ bandwidthBytesPerSec: 0, latencyMs: 0 });
      await closeAll();
    }
  });

  for (const stream of STREAMS) {
    void it(`${stream.name}: 3 viewers play ${PLAY_SEC} s without stalls, share, and cost ≤ ${MAX_ORIGIN_RATIO}× one`, async () => {
      const run = `${stream.name}-${Date.now().toString(36)}`;

      // Baseline: one plain hls.js viewer alone.
      const baseId = `${run}-http`;
      const baseUrl = clientUrl(stack.originUrl, baseId, stream.path);
      const base = await viewer(baseId, { label: baseId, manifestUrl: baseUrl, ...liveConfig(stream.live) });
      const baseline = await playAndMeasure(stack, base, baseId);
      await closeAll();
      assertNoStall(baseline.report);

      // Swarm: three viewers with P2P, staggered so the first has segments to share.
      const p2p: HlsViewerParams['p2p'] = {
        swarmId: run,
        core: { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } },
        ...(stream.live ? { liveSyncDurationSec: LIVE_SYNC_SEC } : {}),
      };
      const verify = process.env.SWARMCAST_E2E_VERIFY === '1';
      const pending: Promise<Measured>[] = [];
      for (let i = 0; i < 3; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
        const id = `${run}-p2p${i}`;
        const manifestUrl = clientUrl(stack.originUrl, id, stream.path);
        const v = await viewer(id, { label: id, manifestUrl, p2p, verify });
        pending.push(playAndMeasure(stack, v, id));
      }
      const measured = await Promise.all(pending);
      const finals = await Promise.all(open.map((v) => v.report()));
      await closeAll();

      const total = measured.reduce((a, m) => a + m.originBytes, 0);
      const ratio = total / baseline.originBytes;
      console.log(
        `\n[${stream.name}] baseline ${kib(baseline.originBytes)} (levels ${baseline.report.levels.join('')})`,
      );
      for (const [i, m] of measured.entries()) {
        const e = finals[i]?.engine;
        const share = e ? percent(e.p2pBytes, e.p2pBytes + e.httpBytes) : 'n/a';
        console.log(
          `[${stream.name}] ${m.report.label}: origin ${kib(m.originBytes)}, p2p ${kib(e?.p2pBytes ?? 0)} (${share}), ` +
            `up ${kib(e?.uploadedBytes ?? 0)}, peers ${e?.peers ?? 0}, sources ${JSON.stringify(finals[i]?.sources)}, ` +
            `stalls ${m.report.playback.stalls.length}, startup ${Math.round(m.report.playback.startupMs ?? -1)} ms, ` +
            `levels ${m.report.levels.join('')}${m.report.errors.length ? `, errors ${m.report.errors.join(',')}` : ''}`,
        );
      }
      console.log(`[${stream.name}] origin bytes, 3 viewers / 1 HTTP-only viewer = ${ratio.toFixed(2)}`);

      for (const m of measured) assertNoStall(m.report);
      const receiving = finals.filter((r) => (r.engine?.p2pBytes ?? 0) > 0).length;
      assert.ok(receiving >= 2, `only ${receiving} viewer(s) received P2P bytes`);
      assert.ok(ratio <= MAX_ORIGIN_RATIO, `origin bytes ratio ${ratio.toFixed(2)} > ${MAX_ORIGIN_RATIO}`);
    });
  }
});
