/**
 * The loader contract with dash.js's HTTPLoader, piece by piece: the progress trace that feeds its throughput
 * estimate (ABR timing), and how an engine load ends — success, abort, the request's own timeout, HTTP errors and
 * the fallback to dash.js's XHRLoader — through the handlers HTTPLoader puts on the request.
 */
import { expect } from 'chai';
import { SwarmcastError, type LoadOptions, type LoadResult } from '../../../../core/index.js';
import { abrProgress, serveFromEngine } from '../../../../integrations/dashjs/serve.js';
import type { EngineLike, LoaderRequest, LoaderResponse } from '../../../../integrations/dashjs/types.js';
import { sleep } from './helpers.js';

function result(source: LoadResult['source'], bytes: number, firstByteMs: number, endMs: number): LoadResult {
  return { data: new ArrayBuffer(bytes), source, bytes, timing: { requestStartMs: 0, firstByteMs, endMs } };
}

/**
 * What dash.js's throughput estimate makes of a trace (HTTPLoader records one entry per progress event:
 * bytes since the last one, and `time` as its duration; ThroughputModel drops the first entry): kbit/s, or NaN
 * when it takes no sample.
 */
function dashjsKbps(events: { loaded: number; time?: number }[]): number {
  if (events.length <= 1) return NaN;
  const bytes = events.slice(1).reduce((sum, e, i) => sum + e.loaded - (events[i]?.loaded ?? 0), 0);
  const ms = events.slice(1).reduce((sum, e) => sum + (e.time ?? 0), 0);
  return Math.round((8 * bytes) / Math.max(ms, 1));
}

describe('dash.js integration: ABR timing', () => {
  it('peer and store deliveries read as the HTTP-only estimate; slow HTTP as measured; nothing without one', () => {
    const neutral = 50_000; // bytes/s = 400 kbit/s
    expect(dashjsKbps(abrProgress(result('p2p', 100_000, 1, 5), neutral))).to.equal(400);
    expect(dashjsKbps(abrProgress(result('cache', 100_000, 0, 0), neutral))).to.equal(400);
    // Joined an HTTP prefetch half-way: faster than HTTP is, so neutral too.
    expect(dashjsKbps(abrProgress(result('http', 100_000, 10, 100), neutral))).to.equal(400);
    // Slow HTTP: the real transfer time after the first byte (4 s for 100 kB = 200 kbit/s).
    expect(dashjsKbps(abrProgress(result('http', 100_000, 1000, 5000), neutral))).to.equal(200);
    // No estimate anywhere: HTTP as measured, peers give dash.js no sample at all.
    expect(dashjsKbps(abrProgress(result('http', 100_000, 1000, 5000), undefined))).to.equal(200);
    expect(dashjsKbps(abrProgress(result('p2p', 100_000, 1, 5), undefined))).to.be.NaN;
    for (const e of abrProgress(result('cache', 10, 0, 0), neutral)) expect(e.time).to.be.at.least(1);
  });
});

describe('dash.js integration: serving a request', () => {
  /** A request as HTTPLoader hands it over, recording which of its handlers ran. */
  function request(timeout = 0): { req: LoaderRequest; res: LoaderResponse; events: string[] } {
    const events: string[] = [];
    const req: LoaderRequest = {
      url: 'http://o/v/seg-1.m4s',
      method: 'GET',
      responseType: 'arraybuffer',
      headers: {},
      timeout,
      customData: {
        onprogress: (e) => events.push(`progress ${e.loaded}/${e.total}`),
        onloadend: () => events.push('loadend'),
        onabort: () => events.push('abort'),
        ontimeout: () => events.push('timeout'),
      },
    };
    return { req, res: { status: 0 }, events };
  }

  function engine(load: (o: LoadOptions) => Promise<LoadResult>): EngineLike {
    return { loadSegment: (_s: string, _id: string, o: LoadOptions) => load(o) } as unknown as EngineLike;
  }

  const target = { streamId: '0', segmentId: 't0' };

  it('success: response fields, then progress, then loadend', async () => {
    const { req, res, events } = request();
    serveFromEngine(
      engine(() => Promise.resolve(result('p2p', 8, 1, 2))),
      target,
      { request: req, response: res, fallback: () => events.push('fallback') },
      () => 1000,
    );
    await sleep(0);
    expect(events).to.deep.equal(['progress 0/8', 'progress 8/8', 'loadend']);
    expect(res.status).to.equal(200);
    expect((res.data as ArrayBuffer).byteLength).to.equal(8);
    expect(res.url).to.equal(req.url);
  });

  it('a byte-range request is answered 206', async () => {
    const { req, res } = request();
    req.headers = { Range: 'bytes=0-7' };
    serveFromEngine(
      engine(() => Promise.resolve(result('http', 8, 1, 2))),
      target,
      { request: req, response: res, fallback: () => undefined },
      () => undefined,
    );
    await sleep(0);
    expect(res.status).to.equal(206);
  });

  it('abort (as HTTPLoader does it) cancels the engine load and calls onabort, nothing else', async () => {
    const { req, res, events } = request();
    let signal: AbortSignal | undefined;
    let finish: (r: LoadResult) => void = () => undefined;
    const slow = engine((o) => {
      signal = o.signal;
      return new Promise((r) => (finish = r));
    });
    serveFromEngine(slow, target, { request: req, response: res, fallback: () => events.push('fallback') }, () => 1000);
    const data = req.customData ?? {};
    data.onloadend = data.onprogress = undefined;
    data.abort?.();
    finish(result('p2p', 8, 1, 2));
    await sleep(0);
    expect(signal?.aborted).to.equal(true);
    expect(events).to.deep.equal(['abort']);
  });

  it("the request's own timeout ends it like an XHR timeout and tells the engine the player's deadline", async () => {
    const { req, res, events } = request(30);
    let options: LoadOptions | undefined;
    serveFromEngine(
      engine((o) => ((options = o), new Promise<never>(() => undefined))),
      target,
      { request: req, response: res, fallback: () => undefined },
      () => 1000,
    );
    await sleep(80);
    expect(options?.playerTimeoutMs).to.equal(30);
    expect(options?.signal?.aborted).to.equal(true);
    expect(events).to.deep.equal(['timeout', 'loadend']);
    expect(res.status).to.equal(0);
  });

  it('engine errors: HTTP status kept (HTTPLoader retries); a segment the engine no longer lists falls back', async () => {
    const failing = (error: Error): { res: LoaderResponse; events: string[] } => {
      const { req, res, events } = request();
      serveFromEngine(
        engine(() => Promise.reject(error)),
        target,
        { request: req, response: res, fallback: () => events.push('fallback') },
        () => 1000,
      );
      return { res, events };
    };
    const notFound = failing(new SwarmcastError('http-error', 'HTTP 404', 404));
    const network = failing(new SwarmcastError('network-error', 'reset'));
    const unlisted = failing(new SwarmcastError('unknown-segment', 'gone'));
    await sleep(0);
    expect([notFound.res.status, notFound.events]).to.deep.equal([404, ['loadend']]);
    expect([network.res.status, network.events]).to.deep.equal([0, ['loadend']]);
    expect(unlisted.events).to.deep.equal(['fallback']);
  });
});
