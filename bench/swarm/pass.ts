/**
 * One pass of the bench: a fresh throttled origin (fresh byte meter), a fresh swarmcast tracker, and every viewer
 * joining on the seeded schedule; all stop together, transfers settle, then counters are read.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childTreeCpuSec, ownCpuSec } from './cpu.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { startOrigin, type MeterSnapshot } from '../../test/support/origin/index.js';
import { clientUrl } from '../../test/e2e/support/metering.js';
import { openViewer, prepareViewer, type BlankViewer, type Viewer } from '../../test/e2e/support/viewer.js';
import { createTracker } from '../../tracker/index.js';
import { MANIFESTS, virtualCount, type SwarmBenchOptions } from './options.js';
import type {
  BenchPageApi,
  PassSpec,
  RealViewerParams,
  ViewerResult,
  ViewerSpec,
  VirtualPageParams,
} from './protocol.js';
import { joinOffsetsMs, viewerSeed } from './rng.js';

/** Bundled page scripts: the player's page and the virtual viewers' page. */
export interface PageScripts {
  real: string;
  /** hls.js with P2P Media Loader (page/hlsjs-p2pml.ts), '' when its pass does not run. */
  p2pml: string;
  /** The player's own worker script, if it runs one (hls.js transmuxes in one by default). */
  playerWorker: string | undefined;
  virtual: string;
}

export interface TrackerCounts {
  /** Client messages received, by type (announce, answer, scrape, invalid). */
  received: Record<string, number>;
  /** Messages sent to clients, by type (announce replies, offers and answers relayed, errors). */
  sent: Record<string, number>;
  total: number;
}

/** The HTTP-only baseline, swarmcast's P2P pass, P2P Media Loader's pass. */
export type PassKind = 'baseline' | 'p2p' | 'p2pml';

const PASS_LABEL: Record<PassKind, string> = { baseline: 'baseline', p2p: 'P2P', p2pml: 'P2P Media Loader' };

export interface PassResult {
  kind: PassKind;
  p2p: boolean;
  /** In join order. */
  viewers: ViewerResult[];
  meter: MeterSnapshot;
  tracker: TrackerCounts;
  wallSec: number;
  /** This process's event-loop delay during the pass (origin and tracker answers wait as long). */
  eventLoopDelayMs: { p99: number; max: number };
  /**
   * CPU seconds used from the pass's start until its pages close (see cpu.ts): Chromium (undefined without /proc)
   * and this process. With concurrent passes, both passes' Chromium figures include the other pass.
   */
  cpuSec: { chromium: number | undefined; bench: number };
  /** Page and tracker problems (viewer errors stay on the viewers). */
  errors: string[];
}

/** The 5-minute VOD of `--stream vod-long`: made by `npm run fixtures -- long`, not committed. */
export function longFixturesRoot(): string {
  const root = fileURLToPath(new URL('../../test/fixtures-long/', import.meta.url));
  if (!existsSync(`${root}hls-ts/master.m3u8`))
    throw new Error('--stream vod-long: the 5-minute VOD is missing; make it with `npm run fixtures -- long`');
  return root;
}

/** Time for the prepared windows' browser UI to finish loading before the clock starts. */
const BLANK_SETTLE_MS = 3000;

/** hls.js's default maxBufferLength: virtual viewers keep as much media ahead as an hls.js player would. */
const VIRTUAL_MAX_BUFFER_SEC = 30;

export function viewerSpecs(o: SwarmBenchOptions, originUrl: string): ViewerSpec[] {
  // `/nolist/` after the client prefix: the same media, every hash list 404 (see the origin's `hashLists`).
  const manifest = `${o.hashLists ? '' : 'nolist/'}${MANIFESTS[o.player][o.stream]}`;
  return Array.from({ length: o.viewers }, (_, i) => {
    const id = `v${String(i).padStart(o.viewers > 100 ? 3 : 2, '0')}`;
    return {
      id,
      segmentClientId: `${id}-seg`,
      manifestUrl: clientUrl(originUrl, id, manifest),
      seed: viewerSeed(o.seed, i),
    };
  });
}

interface BenchWindow {
  __bench: BenchPageApi;
}

/** Page-side calls; each function is serialised by Playwright, so each names `window.__bench` itself. */
function bench(page: Page): {
  stop(): Promise<void>;
  results(): Promise<ViewerResult[]>;
  join(v: ViewerSpec): Promise<void>;
} {
  return {
    stop: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.stop()),
    results: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.results()),
    join: (v) => page.evaluate((spec) => (window as unknown as BenchWindow).__bench.join?.(spec), v),
  };
}

export async function runPass(
  o: SwarmBenchOptions,
  kind: PassKind,
  browser: Browser,
  scripts: PageScripts,
  log: (line: string) => void,
): Promise<PassResult> {
  const started = performance.now();
  const p2p = kind !== 'baseline';
  const errors: string[] = [];
  // The origin and the tracker run in this process: when it is starved, their answers are late in both passes.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuAtStart = { chromium: childTreeCpuSec(), bench: ownCpuSec() };
  const origin = await startOrigin({
    ...(o.stream === 'vod-long' ? { root: longFixturesRoot() } : {}),
    bandwidthBytesPerSec: Math.round((o.originKbps * 1000) / 8),
    latencyMs: o.originLatencyMs,
    compressManifests: o.originGzip,
    live: { windowSegments: o.liveWindowSegments },
  });
  // Every viewer connects from 127.0.0.1: the per-IP limits meant for the open internet would throttle the swarm.
  const tracker = await createTracker(
    {
      port: 0,
      host: '127.0.0.1',
      maxConnectionsPerIp: 1_000_000,
      ipMessagesPerSec: 1_000_000,
      ipMessageBurst: 1_000_000,
    },
    { onWarning: (m) => errors.push(`tracker: ${m}`) },
  );
  // P2P Media Loader's pass: its own origin, meter and tracker, like every pass, so no swarm mixes with another.
  const pass: PassSpec = {
    player: o.player,
    p2p,
    trackerUrl: tracker.url,
    swarmId: `bench-swarm-${o.seed}`,
    live: o.stream === 'live',
    liveDelaySec: o.liveDelaySec,
    capToPlayerSize: o.capToPlayerSize,
    engineSettings: o.engineSettings,
    integrity: o.integrity,
  };
  const specs = viewerSpecs(o, origin.url);
  const offsets = joinOffsetsMs(specs.length, o.joinSpreadMs, o.seed);
  const virtualFrom = specs.length - virtualCount(o);
  const pages: Viewer[] = [];
  const blanks: BlankViewer[] = [];
  const open = async (label: string, script: string, params: unknown, blank?: BlankViewer): Promise<Viewer> => {
    const v = await openViewer(browser, { label, originUrl: origin.url, script, params, echoConsole: false }, blank);
    v.page.on('pageerror', (e) => errors.push(`${label}: ${e.message}`));
    pages.push(v);
    return v;
  };
  try {
    // Virtual viewers' pages exist before the clock starts; their viewers join on schedule like real ones.
    const virtualPages: Viewer[] = [];
    const pageParams: VirtualPageParams = { pass, maxBufferSec: VIRTUAL_MAX_BUFFER_SEC };
    for (let i = virtualFrom; i < specs.length; i += o.virtualPerPage)
      virtualPages.push(await open(`virtual-${virtualPages.length}`, scripts.virtual, pageParams));
    // Real viewers' windows too, so that opening one does not load browser UI while other viewers start.
    for (let i = 0; i < virtualFrom; i++) blanks.push(await prepareViewer(browser));
    await sleep(BLANK_SETTLE_MS);

    const t0 = performance.now();
    log(`${PASS_LABEL[kind]} pass: ${specs.length} viewers joining over ${offsets.at(-1) ?? 0} ms`);
    const joins = specs.map(async (spec, i) => {
      await sleep(Math.max(0, t0 + (offsets[i] ?? 0) - performance.now()));
      try {
        if (i < virtualFrom) {
          const params: RealViewerParams = { pass, viewer: spec, playerWorker: scripts.playerWorker };
          await open(spec.id, kind === 'p2pml' ? scripts.p2pml : scripts.real, params, blanks[i]);
        } else {
          const page = virtualPages[Math.floor((i - virtualFrom) / o.virtualPerPage)];
          if (page) await bench(page.page).join(spec);
        }
      } catch (e) {
        errors.push(`${spec.id}: could not join: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    await Promise.all(joins);
    await sleep(Math.max(0, t0 + (offsets.at(-1) ?? 0) + o.durationSec * 1000 - performance.now()));
    await Promise.all(
      pages.map((p) =>
        bench(p.page)
          .stop()
          .catch((e: unknown) => errors.push(`${p.label}: stop: ${String(e)}`)),
      ),
    );
    // Chunks already on the wire land (or are dropped as cancelled) before the counters are compared.
    await sleep(o.settleMs);
    const perPage = await Promise.all(
      pages.map((p) =>
        bench(p.page)
          .results()
          .catch((e: unknown) => {
            errors.push(`${p.label}: results: ${String(e)}`);
            return [];
          }),
      ),
    );
    const order = new Map(specs.map((s, i) => [s.id, i]));
    const viewers = perPage.flat().sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    for (const spec of specs) if (!viewers.some((v) => v.id === spec.id)) errors.push(`${spec.id}: no result`);
    const chromiumNow = childTreeCpuSec();
    const cpuSec = {
      chromium:
        chromiumNow === undefined || cpuAtStart.chromium === undefined ? undefined : chromiumNow - cpuAtStart.chromium,
      bench: ownCpuSec() - cpuAtStart.bench,
    };
    await Promise.all(pages.map((p) => p.close()));
    // After the pages are gone nothing more reaches the origin or the tracker.
    const meter = origin.meter.snapshot();
    const received: Record<string, number> = {};
    const sent: Record<string, number> = {};
    for (const type of ['announce', 'answer', 'scrape', 'invalid'])
      received[type] = tracker.metrics.received.get({ type });
    for (const type of ['announce', 'offer', 'answer', 'scrape', 'error'])
      sent[type] = tracker.metrics.sent.get({ type });
    const total = [...Object.values(received), ...Object.values(sent)].reduce((a, b) => a + b, 0);
    return {
      kind,
      p2p,
      viewers,
      meter,
      tracker: { received, sent, total },
      wallSec: (performance.now() - started) / 1000,
      eventLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      cpuSec,
      errors,
    };
  } finally {
    loopDelay.disable();
    await Promise.all(pages.map((p) => p.close()));
    await Promise.all(blanks.map((b) => b.context.close().catch(() => undefined)));
    await tracker.close();
    await origin.close();
  }
}
