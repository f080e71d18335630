/**
 * The fragment / playlist loader contract against real hls.js pieces: hls.js's own default loader (XhrLoader)
 * is the fallback, the origin is real, the engine is a small fake so each outcome can be forced.
 */
import { expect } from 'chai';
import Hls, { LoaderContextType } from 'hls.js';
import type {
  Fragment,
  FragmentLoaderContext,
  HlsConfig,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderStats,
  Loader,
} from 'hls.js';
import { createFragmentLoaderClass, type FragmentRoute } from '../../../../integrations/hlsjs/fragment-loader.js';
import { createPlaylistLoaderClass } from '../../../../integrations/hlsjs/playlist-loader.js';
import { testEnv } from '../../env.js';
import { FakeEngine } from './fake-engine.js';

const SEGMENT_ID = 't0';
const STREAM_ID = '1';

interface Recorded {
  events: string[];
  success?: { data: ArrayBuffer; stats: LoaderStats };
  progressData?: ArrayBuffer;
  error?: { code: number; text: string };
}

function recorder(): { rec: Recorded; callbacks: LoaderCallbacks<FragmentLoaderContext> } {
  const rec: Recorded = { events: [] };
  return {
    rec,
    callbacks: {
      onSuccess: (response, stats) => {
        rec.events.push('success');
        rec.success = { data: response.data as ArrayBuffer, stats };
      },
      onProgress: (_stats, _context, data) => {
        rec.events.push('progress');
        rec.progressData = data as ArrayBuffer;
      },
      onError: (error) => {
        rec.events.push('error');
        rec.error = error;
      },
      onTimeout: () => rec.events.push('timeout'),
      onAbort: () => rec.events.push('abort'),
    },
  };
}

function loaderConfig(ttfbMs = 10000, totalMs = 20000): LoaderConfiguration {
  // Shaped like FragmentLoader's (the deprecated fields are still read by hls.js's XhrLoader).
  const legacy = { timeout: totalMs, maxRetry: 0, retryDelay: 0, maxRetryDelay: 0 };
  const loadPolicy = { maxTimeToFirstByteMs: ttfbMs, maxLoadTimeMs: totalMs, timeoutRetry: null, errorRetry: null };
  return { loadPolicy, ...legacy };
}

function context(url: string, extra: Partial<FragmentLoaderContext> = {}): FragmentLoaderContext {
  const frag = { url, sn: 0, type: 'main', byteRange: [] } as unknown as Fragment;
  const type = LoaderContextType.MEDIA_FRAGMENT;
  return { url, responseType: 'arraybuffer', type, frag, part: null, ...extra };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(cond: () => boolean, ms = 10000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('hls.js integration: loader contract', () => {
  let segmentUrl: string;
  let engine: FakeEngine;
  let hlsConfig: HlsConfig;
  let routed: boolean;
  let Loader: ReturnType<typeof createFragmentLoaderClass>;

  before(async () => {
    const media = `${testEnv.originUrl}/c/contract/hls-ts/`;
    const master = await (await fetch(`${media}master.m3u8`)).text();
    const variant = master
      .split('\n')
      .find((l) => l.trim() && !l.startsWith('#'))!
      .trim();
    const variantUrl = new URL(variant, `${media}master.m3u8`).href;
    const playlist = await (await fetch(variantUrl)).text();
    const first = playlist
      .split('\n')
      .find((l) => l.trim() && !l.startsWith('#'))!
      .trim();
    segmentUrl = new URL(first, variantUrl).href;
  });

  beforeEach(() => {
    engine = new FakeEngine();
    engine.updateSegments(STREAM_ID, [{ id: SEGMENT_ID, url: segmentUrl, startSec: 0, durationSec: 2 }]);
    hlsConfig = { ...Hls.DefaultConfig };
    routed = true;
    const route: FragmentRoute = {
      engine,
      resolve: (ctx) => (routed && ctx.url === segmentUrl ? { streamId: STREAM_ID, segmentId: SEGMENT_ID } : undefined),
      estimates: () => ({ engineBytesPerSec: engine.estimate, hlsBitsPerSec: 500000, hlsTtfbMs: 50 }),
    };
    Loader = createFragmentLoaderClass({
      routeFor: (config) => (config === hlsConfig ? route : undefined),
      fallbackFor: (config) => config.loader as new (c: HlsConfig) => Loader<FragmentLoaderContext>,
    });
  });

  it('creates stats in the constructor and mutates that object in place', async () => {
    const loader = new Loader(hlsConfig);
    const stats = loader.stats;
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    expect(loader.stats).to.equal(stats);
    expect(rec.success!.stats).to.equal(stats);
  });

  it('serves a known segment through the engine: onProgress with the bytes, then onSuccess, stats filled', async () => {
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    // Pending: loaded === total keeps hls.js's abandon rules from treating a P2P wait as a slow download.
    expect(loader.stats.loaded).to.equal(loader.stats.total);
    await waitUntil(() => rec.events.includes('success'));
    expect(rec.events).to.deep.equal(['progress', 'success']);
    expect(engine.loads).to.have.length(1);
    const { stats, data } = rec.success!;
    expect(data.byteLength).to.be.greaterThan(1000);
    expect(rec.progressData).to.equal(data);
    expect(stats.loaded).to.equal(data.byteLength);
    expect(stats.total).to.equal(data.byteLength);
    expect(stats.loading.start).to.be.at.most(stats.loading.first);
    expect(stats.loading.first).to.be.at.most(stats.loading.end);
    expect(stats.aborted).to.equal(false);
  });

  it('reports a peer delivery at the engine HTTP estimate, not as an instant download', async () => {
    engine.mode = 'instant-p2p';
    engine.estimate = 50000;
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    const { stats } = rec.success!;
    const transferMs = stats.loading.end - stats.loading.first;
    const expectedMs = (stats.loaded / 50000) * 1000;
    expect(transferMs).to.be.closeTo(expectedMs, 1);
    expect(stats.loading.first - stats.loading.start).to.be.closeTo(50, 1);
  });

  it('without any estimate, a peer delivery is reported at hls.js own estimate', async () => {
    engine.mode = 'instant-p2p';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    const { stats } = rec.success!;
    const bitsPerSec = (stats.loaded * 8) / ((stats.loading.end - stats.loading.first) / 1000);
    expect(bitsPerSec).to.be.closeTo(500000, 5000);
  });

  it('abort(): onAbort once, the engine request is cancelled, never onSuccess afterwards', async () => {
    engine.mode = 'hang';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await sleep(20);
    loader.abort();
    loader.abort();
    await sleep(50);
    expect(rec.events).to.deep.equal(['abort']);
    expect(loader.stats.aborted).to.equal(true);
    expect(engine.aborted).to.equal(1);
  });

  it('abort() while the engine is delivering: the late result is dropped', async () => {
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    loader.abort();
    await sleep(300);
    expect(rec.events).to.deep.equal(['abort']);
  });

  it('destroy() is silent and cancels the engine request', async () => {
    engine.mode = 'hang';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await sleep(20);
    loader.destroy();
    await sleep(50);
    expect(rec.events).to.deep.equal([]);
    expect(engine.aborted).to.equal(1);
  });

  it('enforces loadPolicy.maxTimeToFirstByteMs: onTimeout, engine request cancelled', async () => {
    engine.mode = 'hang';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    const started = performance.now();
    loader.load(context(segmentUrl), loaderConfig(150, 5000), callbacks);
    await waitUntil(() => rec.events.length > 0, 3000);
    expect(rec.events).to.deep.equal(['timeout']);
    expect(performance.now() - started).to.be.within(140, 2000);
    expect(engine.aborted).to.equal(1);
    expect(engine.loads[0]?.playerTimeoutMs, 'the engine knows when hls.js gives up').to.equal(150);
    // Only real progress is reported on timeout (none here), not the pending marker.
    expect(loader.stats.loaded).to.equal(0);
  });

  it('enforces loadPolicy.maxLoadTimeMs', async () => {
    engine.mode = 'hang';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(Infinity, 150), callbacks);
    await waitUntil(() => rec.events.length > 0, 3000);
    expect(rec.events).to.deep.equal(['timeout']);
  });

  it('maps engine HTTP errors to onError with the status code', async () => {
    engine.mode = 'http-error';
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.length > 0);
    expect(rec.events).to.deep.equal(['error']);
    expect(rec.error!.code).to.equal(404);
  });

  it('falls back to hls.js default loader for segments the engine does not know, sharing our stats', async () => {
    routed = false;
    const loader = new Loader(hlsConfig);
    const stats = loader.stats;
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    expect(engine.loads).to.have.length(0);
    expect(rec.success!.stats).to.equal(stats);
    expect(stats.loaded).to.be.greaterThan(1000);
  });

  it('uses the engine for a fragment described right after load() (hls.js LEVEL_LOADED listener order)', async () => {
    routed = false;
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    routed = true;
    await waitUntil(() => rec.events.includes('success'));
    expect(engine.loads).to.have.length(1);
  });

  it('abort() before the description is looked up again: onAbort, nothing loaded', async () => {
    routed = false;
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    loader.abort();
    await sleep(200);
    expect(rec.events).to.deep.equal(['abort']);
    expect(engine.loads).to.have.length(0);
  });

  it('falls back for LL-HLS parts and honours the exclusive rangeEnd', async () => {
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    const part = { index: 0 } as unknown as FragmentLoaderContext['part'];
    loader.load(context(segmentUrl, { part, rangeStart: 188, rangeEnd: 188 * 11 }), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    expect(engine.loads).to.have.length(0);
    expect(rec.success!.data.byteLength).to.equal(188 * 10);
  });

  it('falls back when the engine rejects a segment as unknown (live list raced the request)', async () => {
    engine.segments.clear();
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    await waitUntil(() => rec.events.includes('success'));
    expect(rec.events).to.deep.equal(['progress', 'success']);
  });

  it('abort() on a fallback load reaches hls.js as onAbort', async () => {
    routed = false;
    const loader = new Loader(hlsConfig);
    const { rec, callbacks } = recorder();
    loader.load(context(segmentUrl), loaderConfig(), callbacks);
    loader.abort();
    await sleep(100);
    expect(rec.events).to.deep.equal(['abort']);
  });

  it('playlist loader passes through to the default loader (keys, playlists never go to peers)', async () => {
    let created = 0;
    const PLoader = createPlaylistLoaderClass({
      onPlaylistLoader: () => created++,
      fallbackFor: (config) => config.loader as never,
    });
    const loader = new PLoader(hlsConfig);
    expect(created).to.equal(1);
    const text = await new Promise<string>((resolve, reject) => {
      loader.load(
        { url: `${testEnv.originUrl}/hls-ts/master.m3u8`, responseType: 'text', type: 'manifest' } as never,
        loaderConfig(),
        {
          onSuccess: (r) => resolve(r.data as string),
          onError: (e) => reject(new Error(e.text)),
          onTimeout: () => reject(new Error('timeout')),
        },
      );
    });
    expect(text).to.contain('#EXTM3U');
    expect(loader.stats.loaded).to.be.greaterThan(0);
    expect(loader.getCacheAge?.()).to.equal(null);
  });
});
