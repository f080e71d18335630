/**
 * VHS integration pieces on their own: the fake XHR driven the way @videojs/xhr drives it, the global-hook
 * chaining, and segment identities from VHS-shaped playlists (same ids / rendition keys as hls.js's).
 */
import { expect } from 'chai';
import { hlsLiveSegmentId, renditionKey, vodSegmentId, type LoadResult } from '../../../../core/index.js';
import { FakeXhr } from '../../../../integrations/vhs/fake-xhr.js';
import { requestHookChain } from '../../../../integrations/vhs/hooks.js';
import type { VhsPlaylist, XhrOptions } from '../../../../integrations/vhs/index.js';
import { describePlaylist, playlistRendition, rangeFromHeader } from '../../../../integrations/vhs/segments.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function result(bytes: number, source: LoadResult['source'], elapsedMs = 1): LoadResult {
  return {
    data: new ArrayBuffer(bytes),
    source,
    bytes,
    timing: { requestStartMs: 0, firstByteMs: elapsedMs / 2, endMs: elapsedMs },
  };
}

describe('VHS integration: FakeXhr', () => {
  it('completes asynchronously with status, response, progress and the preset bandwidth', async () => {
    let finish: (r: LoadResult) => void = () => undefined;
    const xhr = new FakeXhr({
      ranged: true,
      load: (opts) => {
        opts.onProgress?.(10, 100);
        return new Promise((r) => (finish = r));
      },
      bandwidthFor: () => 12345,
    });
    const events: string[] = [];
    xhr.addEventListener('progress', (e) => events.push(`progress ${e.loaded}`));
    xhr.onload = () => events.push(`load ${xhr.status} ${xhr.response?.byteLength ?? -1} ${xhr.bandwidth ?? -1}`);
    xhr.open('GET', 'http://x/seg.ts');
    xhr.responseType = 'arraybuffer';
    xhr.send();
    expect(events).to.deep.equal([]); // nothing synchronous: VHS stamps requestTime after xhr() returns
    await sleep(0);
    finish(result(100, 'p2p'));
    await sleep(10);
    expect(events).to.deep.equal(['progress 10', 'progress 100', 'load 206 100 12345']);
    expect(xhr.readyState).to.equal(4);
    expect(xhr.swarmcastSource).to.equal('p2p');
  });

  it('abort() cancels the engine load, calls onabort and never onload afterwards', async () => {
    let signal: AbortSignal | undefined;
    const xhr = new FakeXhr({
      ranged: false,
      load: (opts) => {
        signal = opts.signal;
        return new Promise((_r, reject) => opts.signal?.addEventListener('abort', () => reject(new Error('x'))));
      },
      bandwidthFor: () => undefined,
    });
    const events: string[] = [];
    xhr.onload = () => events.push('load');
    xhr.onerror = () => events.push('error');
    xhr.onabort = () => events.push('abort');
    xhr.open('GET', 'http://x/seg.ts');
    xhr.send();
    xhr.abort();
    await sleep(10);
    expect(signal?.aborted).to.equal(true);
    expect(events).to.deep.equal(['abort']);
  });

  it('engine HTTP errors become a completed request with that status; others onerror / ontimeout', async () => {
    // Engine errors are SwarmcastError-shaped data ({ type, message, status }).
    const run = async (error: object): Promise<string[]> => {
      const failure = Object.assign(new Error('engine'), error);
      const xhr = new FakeXhr({ ranged: false, load: () => Promise.reject(failure), bandwidthFor: () => undefined });
      const events: string[] = [];
      xhr.onload = () => events.push(`load ${xhr.status}`);
      xhr.onerror = () => events.push('error');
      xhr.ontimeout = (e) => events.push(`timeout ${(e as { code?: string }).code ?? ''}`);
      xhr.open('GET', 'http://x/a');
      xhr.send();
      await sleep(10);
      return events;
    };
    expect(await run({ type: 'http-error', status: 404, message: 'nf' })).to.deep.equal(['load 404']);
    expect(await run({ type: 'network', message: 'down' })).to.deep.equal(['error']);
    expect(await run({ type: 'timeout', message: 'slow' })).to.deep.equal(['timeout ETIMEDOUT']);
  });
});

describe('VHS integration: request hooks', () => {
  it('runs the global hooks (which a per-player hook set would shadow) before its own logic', () => {
    const order: string[] = [];
    const globalSet = new Set([
      (o: XhrOptions) => {
        order.push('g1');
        return { ...o, uri: `${o.uri}?token=1` };
      },
    ]);
    const playerXhr = { _requestCallbackSet: new Set<never>() };
    const hook = requestHookChain({ Vhs: { xhr: { _requestCallbackSet: globalSet } } }, playerXhr, (o) => {
      order.push(`own ${o.uri}`);
      return o;
    });
    const out = hook({ uri: 'http://x/a.ts', requestType: 'segment' });
    expect(order).to.deep.equal(['g1', 'own http://x/a.ts?token=1']);
    expect(out?.uri).to.equal('http://x/a.ts?token=1');
  });

  it('parses VHS Range headers into exclusive-end ranges', () => {
    expect(rangeFromHeader('bytes=100-199')).to.deep.equal({ start: 100, end: 200 });
    expect(rangeFromHeader(undefined)).to.equal(undefined);
  });
});

describe('VHS integration: segment identities', () => {
  const base: VhsPlaylist = {
    attributes: { BANDWIDTH: 84976, RESOLUTION: { width: 426, height: 240 }, CODECS: 'avc1.4d401e,mp4a.40.2' },
    segments: [
      { resolvedUri: 'http://o/240p/s0.ts', duration: 2 },
      { resolvedUri: 'http://o/240p/s1.ts', duration: 2 },
    ],
  };

  it('VOD: start time summed from durations; rendition key as hls.js builds it', () => {
    const d = describePlaylist({ ...base, endList: true }, false);
    expect(d.live).to.equal(false);
    expect(d.segments.map((s) => s.id)).to.deep.equal([vodSegmentId(0), vodSegmentId(2)]);
    expect(renditionKey('main', playlistRendition(base))).to.equal('v;b84976;r426x240;cavc1.4d401e,mp4a.40.2');
  });

  it('HLS live: media sequence numbers', () => {
    const d = describePlaylist({ ...base, mediaSequence: 40 }, false);
    expect(d.live).to.equal(true);
    expect(d.segments.map((s) => s.id)).to.deep.equal([hlsLiveSegmentId(40), hlsLiveSegmentId(41)]);
  });

  it('HLS live: starts stay on the player timeline across reloads (the window slides, ids follow sequences)', () => {
    const timeline = new Map<number, number>();
    const first = describePlaylist({ ...base, mediaSequence: 40 }, false, timeline);
    expect(first.segments.map((s) => s.startSec)).to.deep.equal([0, 2]);
    const slid = describePlaylist(
      {
        ...base,
        mediaSequence: 41,
        segments: [...(base.segments ?? []).slice(1), { resolvedUri: 'x/s2.ts', duration: 2 }],
      },
      false,
      timeline,
    );
    expect(slid.segments.map((s) => [s.id, s.startSec])).to.deep.equal([
      [hlsLiveSegmentId(41), 2],
      [hlsLiveSegmentId(42), 4],
    ]);
  });

  it('byte ranges and init segments (DASH SegmentBase / HLS single file)', () => {
    const map = { resolvedUri: 'http://o/v.mp4', byterange: { offset: 0, length: 800 } };
    const d = describePlaylist(
      {
        endList: true,
        segments: [
          { resolvedUri: 'http://o/v.mp4', duration: 2, byterange: { offset: 900, length: 100 }, map },
          { resolvedUri: 'http://o/v.mp4', duration: 2, byterange: { offset: 1000, length: 50 }, map },
        ],
      },
      true,
    );
    expect(d.segments.map((s) => s.id).slice(1)).to.deep.equal([
      vodSegmentId(0, { start: 900, end: 1000 }),
      vodSegmentId(2, { start: 1000, end: 1050 }),
    ]);
    expect(d.segments[0]?.isInit).to.equal(true);
    expect(d.keys.get('http://o/v.mp4|0-800')).to.equal(d.segments[0]?.id);
    expect(d.keys.get('http://o/v.mp4|900-1000')).to.equal(d.segments[1]?.id);
  });
});
