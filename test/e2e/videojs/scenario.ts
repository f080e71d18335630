/**
 * One swarm scenario, shared by the bundled-plugin and the UMD drop-in tests: an HTTP-only viewer (the
 * baseline) and three P2P viewers staggered so the first has segments to share; origin bytes metered per
 * viewer. Asserts: no stall after startup, ≥ 2 viewers received P2P bytes, origin ≤ 1.8 × baseline, overlay
 * shows a non-zero P2P share somewhere.
 */
import assert from 'node:assert/strict';
import type { Stack } from '../../support/stack.js';
import { clientUrl, kib, originBytes, percent } from '../support/metering.js';
import type { Viewer } from '../support/viewer.js';
import type { VideojsViewerReport } from './report.js';

export const PLAY_SEC = 30.5;
/**
 * Live viewers watch a minute: each one loads the tail of the live window over HTTP as it starts (before it has
 * peers), a fixed cost that a 30 s run weighs twice as heavily as a minute does, and a minute is closer to how
 * live is watched. The baseline plays the same minute.
 */
export const LIVE_PLAY_SEC = 60.5;

export const playSecFor = (stream: { live: boolean }): number => (stream.live ? LIVE_PLAY_SEC : PLAY_SEC);
export const STAGGER_MS = 4000;
export const MAX_ORIGIN_RATIO = 1.8;

export interface StreamCase {
  name: string;
  path: string;
  live: boolean;
}

/** Opens one viewer; `p2p` undefined = plain Video.js (baseline). */
export type OpenViewer = (id: string, manifestUrl: string, p2p: Record<string, unknown> | undefined) => Promise<Viewer>;

export interface Measured {
  report: VideojsViewerReport;
  originBytes: number;
}

export async function playAndMeasure(stack: Stack, v: Viewer, clientId: string, sec: number): Promise<Measured> {
  const report = (await v.waitForPlayed(sec, sec * 1000 + 90000)) as VideojsViewerReport;
  return { report, originBytes: originBytes(stack, clientId) };
}

export function assertNoStall(r: VideojsViewerReport): void {
  assert.equal(r.playback.error, undefined, `${r.label}: media error`);
  assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled after startup: ${JSON.stringify(r.playback.stalls)}`);
}

/**
 * Baseline and swarm in one go: the HTTP-only viewer starts with the first P2P viewer (its own client id, so the
 * meter keeps them apart, and it never talks to the swarm), which halves the wall time of each case.
 */
export async function runCase(
  stack: Stack,
  open: OpenViewer,
  run: string,
  stream: StreamCase,
  tag: string,
  /** Extra plugin options for the P2P viewers (e.g. live tuning). */
  extra: Record<string, unknown> = {},
): Promise<void> {
  const p2p = { swarmId: run, core: { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } }, ...extra };
  const viewers: Viewer[] = [];
  try {
    const baseId = `${run}-http`;
    const base = await open(baseId, clientUrl(stack.originUrl, baseId, stream.path), undefined);
    viewers.push(base);
    const pendingBase = playAndMeasure(stack, base, baseId, playSecFor(stream));
    // If one viewer fails, the others' polls end when their pages close: keep those rejections handled.
    pendingBase.catch(() => undefined);
    const pending: Promise<Measured>[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
      const id = `${run}-p2p${i}`;
      const v = await open(id, clientUrl(stack.originUrl, id, stream.path), p2p);
      viewers.push(v);
      const measuring = playAndMeasure(stack, v, id, playSecFor(stream));
      measuring.catch(() => undefined);
      pending.push(measuring);
    }
    const baseline = await pendingBase;
    assertNoStall(baseline.report);
    const measured = await Promise.all(pending);
    const finals = (await Promise.all(viewers.slice(1).map((v) => v.report()))) as VideojsViewerReport[];
    const total = measured.reduce((a, m) => a + m.originBytes, 0);
    const ratio = total / baseline.originBytes;
    console.log(`\n[${tag}] baseline ${kib(baseline.originBytes)} (levels ${baseline.report.levels.join('')})`);
    for (const [i, m] of measured.entries()) {
      const f = finals[i];
      const e = f?.engine;
      console.log(
        `[${tag}] ${m.report.label}: origin ${kib(m.originBytes)}, p2p ${kib(e?.p2pBytes ?? 0)} ` +
          `(${e ? percent(e.p2pBytes, e.p2pBytes + e.httpBytes) : 'n/a'}), up ${kib(e?.uploadedBytes ?? 0)}, ` +
          `peers ${e?.peers ?? 0}, served ${JSON.stringify(f?.served)}, overlay "${f?.overlayText ?? ''}", ` +
          `stalls ${m.report.playback.stalls.length}, startup ${Math.round(m.report.playback.startupMs ?? -1)} ms, ` +
          `levels ${m.report.levels.join('')}${f?.errors.length ? `, errors ${f.errors.join(',')}` : ''}`,
      );
    }
    console.log(`[${tag}] origin bytes, 3 viewers / 1 HTTP-only viewer = ${ratio.toFixed(2)}`);
    for (const m of measured) assertNoStall(m.report);
    const receiving = finals.filter((r) => (r.engine?.p2pBytes ?? 0) > 0).length;
    assert.ok(receiving >= 2, `only ${receiving} viewer(s) received P2P bytes`);
    assert.ok(ratio <= MAX_ORIGIN_RATIO, `origin bytes ratio ${ratio.toFixed(2)} > ${MAX_ORIGIN_RATIO}`);
    const shown = finals.filter((r) => (r.overlayShare ?? 0) > 0);
    assert.ok(
      shown.length >= 1,
      `no overlay shows a non-zero P2P share: ${finals.map((r) => r.overlayText).join(' | ')}`,
    );
  } finally {
    await Promise.all(viewers.map((v) => v.close()));
  }
}
