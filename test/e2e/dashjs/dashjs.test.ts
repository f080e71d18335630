/**
 * dash.js + swarmcast end to end: for each stream, one plain dash.js viewer plays alone (the HTTP-only baseline),
 * then three attached viewers play it through a real tracker and real WebRTC against the real origin and its
 * byte meter. Claims: no stall after startup, at least two viewers receive P2P bytes (checked byte for byte
 * against the origin), and the three together cost the origin ≤ 1.8 × the lone viewer. Also: a Shaka viewer and
 * a dash.js viewer of one SegmentBase MPD (byte ranges of one file) share a swarm and trade segments.
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
import type { ShakaViewerParams } from '../shaka/viewer-entry.js';
import type { DashjsViewerParams, VerifyReport } from './viewer-entry.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DASHJS_ENTRY = path.join(HERE, 'viewer-entry.ts');
const SHAKA_ENTRY = path.join(HERE, '../shaka/viewer-entry.ts');
/** Media seconds each viewer must play (the claim is ≥ 30 s). */
const PLAY_SEC = 30.5;
const STAGGER_MS = 4000;
const MAX_ORIGIN_RATIO = 1.8;
/**
 * Live: a 30 s window and every viewer (baseline too) 18 s behind the edge, as in the Shaka suite: at the edge
 * every new segment is urgent for all viewers at once and goes over HTTP; P2P live needs this slack.
 */
const LIVE_WINDOW_SEGMENTS = 15;
const LIVE_DELAY_SEC = 18;
/**
 * Every viewer, baseline included, buffers 30 s ahead (dash.js's default is 18 s below the top quality; 30 s is
 * also the engine's HTTP look-ahead), so both sides of the ratio fetch as far ahead.
 */
const BUFFER = { bufferTimeDefault: 30, bufferTimeAtTopQuality: 30, bufferTimeAtTopQualityLongForm: 30 };
const VOD_SETTINGS = { streaming: { buffer: BUFFER } };
const LIVE_SETTINGS = { streaming: { buffer: BUFFER, delay: { liveDelay: LIVE_DELAY_SEC } } };

/**
 * VOD and live SegmentTemplate. SegmentBase (byte ranges) is the cross-player test below: one run covers both its
 * P2P path and its identity across players, and the suite stays short (each stream here costs ~75 s).
 */
const ALL_STREAMS = [
  { name: 'dash-template', path: 'cmaf/manifest.mpd', live: false },
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
    `(${e?.integrity?.verified ?? 0} verified, ${e?.integrity?.failed ?? 0} failed), peers ${e?.peers ?? 0}, ` +
    `sources ${JSON.stringify(final?.sources)}, ` +
    `stalls ${m.report.playback.stalls.length}, startup ${Math.round(m.report.playback.startupMs ?? -1)} ms, ` +
    `levels ${m.report.levels.join('')}${final?.latencySec !== undefined ? `, latency ${final.latencySec.toFixed(1)} s` : ''}` +
    (final?.errors.length ? `, errors ${final.errors.join(',')}` : '')
  );
}

void describe('dash.js e2e: three viewers, real tracker, origin byte meter', () => {
  let stack: Stack;
  let browser: Browser;
  let dashjsScript: string;
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack({ origin: { live: { windowSegments: LIVE_WINDOW_SEGMENTS } } });
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    dashjsScript = await bundlePageScript(DASHJS_ENTRY);
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  async function viewer(label: string, params: DashjsViewerParams | ShakaViewerParams, script = dashjsScript) {
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

  async function verified(v: Viewer): Promise<VerifyReport> {
    return v.page.evaluate(() => (window as unknown as { __verified: VerifyReport }).__verified);
  }

  function p2pOptions(run: string): DashjsViewerParams['p2p'] {
    return { swarmId: run, core: { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } } };
  }

  for (const stream of STREAMS) {
    void it(`${stream.name}: 3 viewers play ${PLAY_SEC} s without stalls, share, and cost ≤ ${MAX_ORIGIN_RATIO}× one`, async () => {
      const run = `dashjs-${stream.name}-${Date.now().toString(36)}`;
      const settings = stream.live ? LIVE_SETTINGS : VOD_SETTINGS;
      try {
        const baseId = `${run}-http`;
        const base = await viewer(baseId, {
          label: baseId,
          manifestUrl: clientUrl(stack.originUrl, baseId, stream.path),
          settings,
        });
        const baseline = await playAndMeasure(base, baseId);
        await closeAll();
        assertNoStall(baseline.report);

        const pending: Promise<Measured>[] = [];
        for (let i = 0; i < 3; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
          const id = `${run}-p2p${i}`;
          const manifestUrl = clientUrl(stack.originUrl, id, stream.path);
          const v = await viewer(id, { label: id, manifestUrl, settings, p2p: p2pOptions(run), verify: true });
          pending.push(playAndMeasure(v, id));
        }
        const measured = await Promise.all(pending);
        const finals = await Promise.all(open.map((v) => v.report()));
        const checks = await Promise.all(open.map((v) => verified(v)));
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
        console.log(`[${stream.name}] P2P segments checked against the origin: ${JSON.stringify(checks)}`);
        console.log(`[${stream.name}] ${line}`);

        for (const m of measured) assertNoStall(m.report);
        for (const f of finals) assert.deepEqual(f.errors, [], f.label);
        const receiving = finals.filter((r) => (r.engine?.p2pBytes ?? 0) > 0).length;
        assert.ok(receiving >= 2, `only ${receiving} viewer(s) received P2P bytes`);
        assert.ok(checks.reduce((a, c) => a + c.checked, 0) > 0, 'no P2P segment was checked against the origin');
        assert.ok(ratio <= MAX_ORIGIN_RATIO, `origin bytes ratio ${ratio.toFixed(2)} > ${MAX_ORIGIN_RATIO}`);
      } finally {
        await closeAll();
      }
    });
  }

  void it('a Shaka viewer and a dash.js viewer of one SegmentBase MPD exchange byte ranges, identical to the origin', async () => {
    const run = `dashjs-cross-${Date.now().toString(36)}`;
    const shakaScript = await bundlePageScript(SHAKA_ENTRY);
    const mpd = 'single/manifest.mpd';
    try {
      // Shaka first, so it has segments when the dash.js viewer joins; then the other way round for the tail.
      const shakaId = `${run}-shaka`;
      const shakaViewer = await viewer(
        shakaId,
        {
          label: shakaId,
          manifestUrl: clientUrl(stack.originUrl, shakaId, mpd),
          shakaConfig: { streaming: { bufferingGoal: 30 } },
          p2p: p2pOptions(run),
        },
        shakaScript,
      );
      await new Promise((r) => setTimeout(r, STAGGER_MS));
      const dashjsId = `${run}-dashjs`;
      const dashjsViewer = await viewer(dashjsId, {
        label: dashjsId,
        manifestUrl: clientUrl(stack.originUrl, dashjsId, mpd),
        settings: VOD_SETTINGS,
        p2p: p2pOptions(run),
        verify: true,
      });
      const [s, d] = await Promise.all([
        playAndMeasure(shakaViewer, shakaId, 20),
        playAndMeasure(dashjsViewer, dashjsId, 20),
      ]);
      const [sf, df] = await Promise.all([shakaViewer.report(), dashjsViewer.report()]);
      const check = await verified(dashjsViewer);
      await closeAll();
      console.log(`\n${describeViewer('cross', s, sf)}\n${describeViewer('cross', d, df)}`);
      console.log(`[cross] dash.js P2P segments checked against the origin: ${JSON.stringify(check)}`);
      assertNoStall(s.report);
      assertNoStall(d.report);
      assert.deepEqual(df.errors, []);
      assert.ok((df.engine?.p2pBytes ?? 0) > 0, 'the dash.js viewer received nothing from the Shaka viewer');
      assert.ok((sf.engine?.uploadedBytes ?? 0) > 0, 'the Shaka viewer uploaded nothing');
      assert.ok((sf.engine?.p2pBytes ?? 0) > 0, 'the Shaka viewer received nothing from the dash.js viewer');
      assert.ok(check.checked > 0 && check.mismatched === 0, `P2P bytes vs origin: ${JSON.stringify(check)}`);
    } finally {
      await closeAll();
    }
  });
});
