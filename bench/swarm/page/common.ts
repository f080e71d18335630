/**
 * Browser side shared by the bench pages: the engine every viewer gets (seeded, metered, P2P on or off) and the
 * per-viewer result built from the engine and the playback monitor.
 */
import { Engine, type EngineStats } from '../../../core/index.js';
import type { PlaybackSnapshot } from '../../../test/e2e/support/types.js';
import type { StallEpisode } from '../../../test/e2e/support/types.js';
import type { BenchStall, DownloadSample, LoadSample, PassSpec, ViewerResult, ViewerSpec } from '../protocol.js';
import { seededRandom } from '../rng.js';
import type { MainThreadWatch } from './main-thread.js';

/** The origin's client-attribution header: engine fetches are metered apart from the player's own requests. */
export const CLIENT_HEADER = 'X-Swarmcast-Client';

/**
 * What a viewer's page records, whichever P2P library serves its player: the player's loads, the segment downloads
 * (the player's and the library's own), the first peer, and the library's byte counters.
 */
export interface ViewerRecorder {
  loads: LoadSample[];
  downloads: DownloadSample[];
  /** Page clock of the first peer-connect. */
  firstPeerAtMs: number | undefined;
  engineStats(): ViewerResult['engine'];
}

export interface BenchEngine extends ViewerRecorder {
  engine: Engine;
}

/**
 * One engine per viewer. The baseline gets the very same engine with `p2pEnabled: false`, so both passes measure
 * the same loader path and only peers differ.
 */
export function createBenchEngine(pass: PassSpec, viewer: ViewerSpec): BenchEngine {
  const engine = new Engine(
    {
      ...pass.engineSettings,
      integrity: pass.integrity,
      p2pEnabled: pass.p2p,
      trackerUrls: [pass.trackerUrl],
      rtcConfig: { iceServers: [] },
      httpRequestSetup: (req) => ({ ...req, headers: { ...req.headers, [CLIENT_HEADER]: viewer.segmentClientId } }),
    },
    { random: seededRandom(viewer.seed) },
  );
  const loads: LoadSample[] = [];
  // Timed at the player's door: from the integration's request to the bytes handed back, waits for peers included.
  const load = engine.loadSegment.bind(engine);
  engine.loadSegment = async (streamId, segmentId, opts) => {
    const requestedMs = performance.now();
    const result = await load(streamId, segmentId, opts);
    const atMs = performance.now();
    loads.push({
      source: result.source,
      durationMs: atMs - requestedMs,
      atMs,
      transferStartMs: result.timing.requestStartMs,
      firstByteMs: result.timing.firstByteMs,
      init: segmentId.startsWith('i'),
      key: `${engine.getSwarmKey(streamId) ?? streamId} ${segmentId}`,
      bytes: result.bytes,
    });
    return result;
  };
  const downloads: DownloadSample[] = [];
  engine.on('segment-loaded', (e) => {
    if (e.source === 'cache' || e.segmentId.startsWith('i')) return;
    const endMs = performance.now();
    const key = `${engine.getSwarmKey(e.streamId) ?? e.streamId} ${e.segmentId}`;
    downloads.push({ source: e.source, key, startMs: endMs - e.durationMs, endMs, bytes: e.bytes });
  });
  const bench: BenchEngine = {
    engine,
    loads,
    downloads,
    firstPeerAtMs: undefined,
    engineStats: () => engineSlice(engine.getStats()),
  };
  engine.on('peer-connect', () => {
    bench.firstPeerAtMs ??= performance.now();
  });
  return bench;
}

export function engineSlice(s: EngineStats): ViewerResult['engine'] {
  return {
    httpBytes: s.httpBytes,
    p2pBytes: s.p2pBytes,
    cacheBytes: s.cacheBytes,
    uploadedBytes: s.uploadedBytes,
    peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
    integrity: s.integrity,
  };
}

export const sinceStart = (atMs: number | undefined, startedMs: number): number | undefined =>
  atMs === undefined ? undefined : atMs - startedMs;

/** Media loads asked for before a stall ended and delivered after it began: what playback was waiting on. */
function loadsDuring(bench: ViewerRecorder, e: StallEpisode): BenchStall['loadsInFlight'] {
  const endMs = e.startedAtMs + e.durationMs;
  return bench.loads
    .filter((l) => !l.init && l.atMs - l.durationMs < endMs && l.atMs > e.startedAtMs)
    .map((l) => ({
      source: l.source,
      askedMs: l.atMs - l.durationMs - e.startedAtMs,
      deliveredMs: l.atMs - e.startedAtMs,
    }));
}

/** When the player asked for a load, in ms from the viewer's start. */
const requestedMs = (l: LoadSample, startedMs: number): number => l.atMs - l.durationMs - startedMs;

/** The first delivery of a media segment (init segments are tiny and come first). */
export function firstSegment(bench: ViewerRecorder, startedMs: number): ViewerResult['firstSegment'] {
  const first = bench.loads.find((l) => !l.init);
  return (
    first && {
      requestedMs: requestedMs(first, startedMs),
      transferStartMs: first.transferStartMs - startedMs,
      firstByteMs: first.firstByteMs - startedMs,
      ms: first.atMs - startedMs,
      source: first.source,
    }
  );
}

/** The media segments the player had been handed when it started playing: what its startup waited for. */
export function startupLoads(
  bench: ViewerRecorder,
  startedMs: number,
  startupMs: number | undefined,
): Pick<ViewerResult, 'mediaLoadsBeforeStartup' | 'startupLoads'> {
  if (startupMs === undefined) return { mediaLoadsBeforeStartup: undefined, startupLoads: [] };
  const loads = bench.loads
    .filter((l) => !l.init && l.atMs - startedMs <= startupMs)
    .map((l) => ({ requestedMs: requestedMs(l, startedMs), ms: l.atMs - startedMs, source: l.source }));
  return { mediaLoadsBeforeStartup: loads.length, startupLoads: loads };
}

/**
 * A real player's result from its playback monitor snapshot (taken when playback stopped). `startedMs`: when the
 * entry script began creating the player; the page and bundle load before it are the same in both passes but
 * swing with CPU load on a shared machine, so they are left out.
 */
export function realResult(
  viewer: ViewerSpec,
  playback: PlaybackSnapshot,
  bench: ViewerRecorder,
  errors: string[],
  startedMs: number,
  mainThread: MainThreadWatch,
): ViewerResult {
  if (playback.error) errors.push(`media error ${playback.error}`);
  const startupMs = playback.startupMs === undefined ? undefined : playback.startupMs - startedMs;
  return {
    id: viewer.id,
    kind: 'real',
    startupMs,
    firstSegment: firstSegment(bench, startedMs),
    firstPeerMs: sinceStart(bench.firstPeerAtMs, startedMs),
    startedAtMs: startedMs,
    ...startupLoads(bench, startedMs, startupMs),
    mainThreadBeforeStartup:
      playback.startupMs === undefined ? undefined : mainThread.between(startedMs, playback.startupMs),
    playedSec: playback.playedSec,
    stalls: playback.stalls.length,
    stallSec: playback.stalls.reduce((a, s) => a + s.durationMs, 0) / 1000,
    stallEpisodes: playback.stalls.map((e) => ({ ...e, loadsInFlight: loadsDuring(bench, e) })),
    engine: bench.engineStats(),
    loads: [...bench.loads],
    downloads: [...bench.downloads],
    timeOriginMs: performance.timeOrigin,
    errors: [...errors],
  };
}

/** The params test/e2e/support/viewer.ts put on the page (a real viewer's or a virtual page's). */
export function readPageParams(): unknown {
  return (window as unknown as { __viewerParams: unknown }).__viewerParams;
}
