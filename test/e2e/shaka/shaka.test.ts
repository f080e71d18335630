/**
 * Shaka + swarmcast end to end: for each stream, one plain Shaka viewer plays alone (the HTTP-only baseline),
 * then three attached viewers play it through a real tracker and real WebRTC against the real origin and its
 * byte meter. Claims: no stall after startup, at least two viewers receive P2P bytes, and the three together cost
 * the origin ≤ 1.8 × the lone viewer. Also: a Shaka and an hls.js viewer of one HLS stream share a swarm, and a
 * second, unattached Shaka player on the page is never served by swarmcast.
 *
 * e2e: exclusive (several viewers and an offload ratio; never overlaps another such file, see scripts/test.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib, originBytes, percent, sharingRatio } from '../support/metering.js';
import type { ViewerReport } from '../support/types.js';
import { VIEWER_CHROMIUM_ARGS, openViewer, type Viewer } from '../support/viewer.js';
import type { HlsViewerParams } from '../hlsjs/viewer-entry.js';
import type { SecondPlayerReport, ShakaViewerParams } from './viewer-entry.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHAKA_ENTRY = path.join(HERE, 'viewer-entry.ts');
const HLSJS_ENTRY = path.join(HERE, '../hlsjs/viewer-entry.ts');
/** Media seconds each viewer must play (the claim is ≥ 30 s). */
const PLAY_SEC = 30.5;
const STAGGER_MS = 4000;
const MAX_ORIGIN_RATIO = 1.8;
/**
 * Live: a 30 s window and every viewer (baseline too) 18 s behind the edge. At Shaka's default delay every new
 * segment is urgent for all viewers at once and goes over HTTP; P2P live needs this slack.
 */
const LIVE_WINDOW_SEGMENTS = 15;
const LIVE_DELAY_SEC = 18;
const LIVE_CONFIG = {
  manifest: { defaultPresentationDelay: LIVE_DELAY_SEC, dash: { ignoreSuggestedPresentationDelay: true } },
  // The simulator's segment times are exact. Shaka's default 2 s drift tolerance (one whole segment here) makes it
  // re-request the previous segment and fall to the edge of its buffer; plain Shaka stalled there too.
  streaming: { inaccurateManifestTolerance: 0 },
};
/**
 * Every viewer, baseline included, buffers 30 s ahead (Shaka's default is 10 s; hls.js's is 30 s, which is also
 * the engine's HTTP look-ahead). Same look-ahead on both sides of the ratio: otherwise the P2P viewers' engines
 * fetch 30 s ahead while the baseline fetches 10 s ahead, and the ratio measures that difference, not sharing.
 */
const VOD_CONFIG = { streaming: { bufferingGoal: 30 } };

const ALL_STREAMS = [
  { name: 'dash-template', path: 'cmaf/manifest.mpd', live: false },
  { name: 'dash-segmentbase', path: 'single/manifest.mpd', live: false },
  { name: 'hls-fmp4', path: 'cmaf/master.m3u8', live: false },
  { name: 'live-dash', path: 'live/cmaf/manifest.mpd', live: true },
];
/** `SWARMCAST_E2E_STREAMS=dash-template,live-dash` runs a subset while iterating. */
const only = process.env.SWARMCAST_E2E_STREAMS?.split(',');
const STREAMS = ALL_STREAMS.filter((s) => !only || only.includes(s.name));

interface Measured {
  report: ViewerReport;
  /** Origin bytes of this viewer when it reached PLAY_SEC. */
  originBytes: number;
}

function assertNoStall(r: ViewerReport): void {
  assert.equal(r.playback.error, undefined, `${r.label}: media error`);
  assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled after startup: ${JSON.stringify(r.playback.stalls)}`);
}

function describeViewer(tag: string, m: Measured, final: ViewerReport | undefined): string {
  const e = final?.engine;
  const share = e ? percent(e.p2pBytes, e.p2pBytes + e.httpBytes) : 'n/a';
  return (
    `[${tag}] ${m.report.label}: origin ${kib(m.originBytes)}, p2p ${kib(e?.p2pBytes ?? 0)} (${share}), ` +
    `up ${kib(e?.uploadedBytes ?? 0)}, checks ${kib(e?.integrity?.cdnBytes ?? 0)} in ${e?.integrity?.cdnRequests ?? 0} ` +
    `(${e?.integrity?.verified ?? 0} verified, ${e?.integrity?.failed ?? 0} failed), peers ${e?.peers ?? 0}, sources ${JSON.stringify(final?.sources)}, ` +
    `stalls ${m.report.playback.stalls.length}, startup ${Math.round(m.report.playback.startupMs ?? -1)} ms, ` +
    `levels ${m.report.levels.join('')}${final?.latencySec !== undefined ? `, latency ${final.latencySec.toFixed(1)} s` : ''}${m.report.errors.length ? `, errors ${m.report.errors.join(',')}` : ''}`
  );
}

void describe('Shaka e2e: three viewers, real tracker, origin byte meter', () => {
  let stack: Stack;
  let browser: Browser;
  let shakaScript: string;
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    shakaScript = await bundlePageScript(SHAKA_ENTRY);
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  async function viewer(label: string, params: ShakaViewerParams | HlsViewerParams, script = shakaScript) {
    const v = await openViewer(browser, { label, originUrl: stack.originUrl, script, params });
    open.push(v);
    return v;
  }

  async function closeAll(): Promise<void> {
    await Promise.all(open.splice(0).map((v) => v.close()));
  }

  async function playAndMeasure(v: Viewer, clientId: string, sec = PLAY_SEC): Promise<Measured> {
    const report = await v.waitForPlayed(sec, 120000);
    return { report, originBytes: originBytes(stack, clientId) };
  }

  function p2pOptions(run: string): ShakaViewerParams['p2p'] {
    return { swarmId: run, core: { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } } };
  }

  for (const stream of STREAMS) {
    void it(`${stream.name}: 3 viewers play ${PLAY_SEC} s without stalls, share, and cost ≤ ${MAX_ORIGIN_RATIO}× one`, async () => {
      const run = `shaka-${stream.name}-${Date.now().toString(36)}`;
      const shakaConfig = stream.live
        ? { ...LIVE_CONFIG, streaming: { ...VOD_CONFIG.streaming, ...LIVE_CONFIG.streaming } }
        : VOD_CONFIG;
      try {
        const baseId = `${run}-http`;
        const base = await viewer(baseId, {
          label: baseId,
          manifestUrl: clientUrl(stack.originUrl, baseId, stream.path),
          shakaConfig,
        });
        const baseline = await playAndMeasure(base, baseId);
        await closeAll();
        assertNoStall(baseline.report);

        const pending: Promise<Measured>[] = [];
        for (let i = 0; i < 3; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
          const id = `${run}-p2p${i}`;
          const manifestUrl = clientUrl(stack.originUrl, id, stream.path);
          const v = await viewer(id, { label: id, manifestUrl, shakaConfig, p2p: p2pOptions(run) });
          pending.push(playAndMeasure(v, id));
        }
        const measured = await Promise.all(pending);
        const finals = await Promise.all(open.map((v) => v.report()));
        await closeAll();

        const { ratio, line } = sharingRatio(
          measured.map((m) => m.originBytes),
          finals.map((f) => f.engine?.integrity?.cdnBytes ?? 0),
          baseline.originBytes,
        );
        console.log(
          `\n[${stream.name}] baseline ${kib(baseline.originBytes)} (levels ${baseline.report.levels.join('')})`,
        );
        for (const [i, m] of measured.entries()) console.log(describeViewer(stream.name, m, finals[i]));
        console.log(`[${stream.name}] ${line}`);

        for (const m of measured) assertNoStall(m.report);
        for (const f of finals)
          assert.deepEqual(
            f.errors.filter((e) => e.includes('severity 2')),
            [],
            f.label,
          );
        const receiving = finals.filter((r) => (r.engine?.p2pBytes ?? 0) > 0).length;
        assert.ok(receiving >= 2, `only ${receiving} viewer(s) received P2P bytes`);
        assert.ok(ratio <= MAX_ORIGIN_RATIO, `origin bytes ratio ${ratio.toFixed(2)} > ${MAX_ORIGIN_RATIO}`);
      } finally {
        await closeAll();
      }
    });
  }

  void it('HLS fMP4: a Shaka viewer and an hls.js viewer of one stream exchange segments', async () => {
    const run = `shaka-cross-${Date.now().toString(36)}`;
    const hlsjsScript = await bundlePageScript(HLSJS_ENTRY);
    const path = 'cmaf/master.m3u8';
    try {
      // hls.js first, so it has segments when the Shaka viewer joins; then the other way round for the tail.
      const hlsId = `${run}-hlsjs`;
      const hlsParams: HlsViewerParams = {
        label: hlsId,
        manifestUrl: clientUrl(stack.originUrl, hlsId, path),
        p2p: p2pOptions(run),
      };
      const hlsViewer = await viewer(hlsId, hlsParams, hlsjsScript);
      await new Promise((r) => setTimeout(r, STAGGER_MS));
      const shakaId = `${run}-shaka`;
      const shakaViewer = await viewer(shakaId, {
        label: shakaId,
        manifestUrl: clientUrl(stack.originUrl, shakaId, path),
        p2p: p2pOptions(run),
      });
      const [h, s] = await Promise.all([
        playAndMeasure(hlsViewer, hlsId, 20),
        playAndMeasure(shakaViewer, shakaId, 20),
      ]);
      const [hf, sf] = await Promise.all([hlsViewer.report(), shakaViewer.report()]);
      await closeAll();
      console.log(`\n${describeViewer('cross', h, hf)}\n${describeViewer('cross', s, sf)}`);
      assertNoStall(s.report);
      assertNoStall(h.report);
      const exchanged = (sf.engine?.p2pBytes ?? 0) + (hf.engine?.p2pBytes ?? 0);
      assert.ok((sf.engine?.p2pBytes ?? 0) > 0, 'the Shaka viewer received nothing from the hls.js viewer');
      assert.ok(exchanged > 0 && (hf.engine?.uploadedBytes ?? 0) > 0, 'the hls.js viewer uploaded nothing');
    } finally {
      await closeAll();
    }
  });

  void it('a second Shaka player on the page without attach() is never served by swarmcast', async () => {
    const run = `shaka-second-${Date.now().toString(36)}`;
    const path = 'cmaf/manifest.mpd';
    try {
      const seedId = `${run}-seed`;
      const seed = await viewer(seedId, {
        label: seedId,
        manifestUrl: clientUrl(stack.originUrl, seedId, path),
        p2p: p2pOptions(run),
      });
      await new Promise((r) => setTimeout(r, STAGGER_MS));
      const pageId = `${run}-page`;
      const otherId = `${run}-other`;
      const page = await viewer(pageId, {
        label: pageId,
        manifestUrl: clientUrl(stack.originUrl, pageId, path),
        p2p: p2pOptions(run),
        secondManifestUrl: clientUrl(stack.originUrl, otherId, path),
      });
      const played = await playAndMeasure(page, pageId, 16);
      const second = await page.page.evaluate(() => (window as unknown as { __second: SecondPlayerReport }).__second);
      const final = await page.report();
      await seed.report();
      await closeAll();
      console.log(`\n${describeViewer('second', played, final)}`);
      console.log(`[second] unattached player: ${JSON.stringify(second)}, origin ${kib(originBytes(stack, otherId))}`);
      assert.deepEqual(second.errors, []);
      assert.ok(second.currentTimeSec > 5, 'the unattached player did not play');
      assert.ok(second.segmentResponses > 5, 'the unattached player loaded no segments');
      assert.equal(second.taggedResponses, 0, 'a request of the unattached player was routed to swarmcast');
      assert.ok((final.engine?.p2pBytes ?? 0) > 0, 'the attached player got no P2P bytes: the check proves nothing');
    } finally {
      await closeAll();
    }
  });
});
