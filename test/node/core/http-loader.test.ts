import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SwarmcastError } from '../../../core/errors.js';
import { httpLoad, type HttpLoadParams } from '../../../core/http/loader.js';
import { BODY, startOrigin, type TestOrigin } from './http-server.js';

let origin: TestOrigin;
before(async () => {
  origin = await startOrigin();
});
after(() => origin.close());

async function load(
  path: string,
  over: Partial<HttpLoadParams> = {},
): Promise<{ data: Uint8Array; total: number | undefined }> {
  const chunks: Uint8Array[] = [];
  let total: number | undefined;
  await httpLoad({
    url: origin.url + path,
    byteRange: undefined,
    fromByte: 0,
    fetch,
    signal: undefined,
    ttfbTimeoutMs: 2000,
    noProgressTimeoutMs: 2000,
    retries: 0,
    retryDelayMs: 10,
    requestSetup: undefined,
    onData: (c, t) => {
      chunks.push(c.slice());
      total = t;
    },
    ...over,
  });
  return { data: new Uint8Array(Buffer.concat(chunks)), total };
}

async function rejection(p: Promise<unknown>): Promise<SwarmcastError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SwarmcastError, `expected SwarmcastError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

void describe('http loader', () => {
  void it('loads a whole resource and reports its size', async () => {
    const { data, total } = await load('/file');
    assert.deepEqual(data, BODY);
    assert.equal(total, BODY.byteLength);
  });

  void it('byte-range segment: Range header with inclusive end, 206 accepted', async () => {
    const { data, total } = await load('/file', { byteRange: { start: 1000, end: 5000 } });
    assert.deepEqual(data, BODY.subarray(1000, 5000));
    assert.equal(total, 4000);
    assert.ok(origin.ranges.includes('/file bytes=1000-4999'));
  });

  void it('resume from a byte offset inside a byte-range segment', async () => {
    const { data } = await load('/file', { byteRange: { start: 1000, end: 5000 }, fromByte: 1500 });
    assert.deepEqual(data, BODY.subarray(2500, 5000));
    assert.ok(origin.ranges.includes('/file bytes=2500-4999'));
  });

  void it('resume of a whole-file segment uses an open Range', async () => {
    const { data, total } = await load('/file', { fromByte: 60_000 });
    assert.deepEqual(data, BODY.subarray(60_000));
    assert.equal(total, BODY.byteLength);
    assert.ok(origin.ranges.includes('/file bytes=60000-'));
  });

  void it('server answering 200 to a ranged request: the body is sliced correctly', async () => {
    const a = await load('/norange', { byteRange: { start: 70_000, end: 70_500 } });
    assert.deepEqual(a.data, BODY.subarray(70_000, 70_500));
    const b = await load('/norange', { fromByte: 99_000 });
    assert.deepEqual(b.data, BODY.subarray(99_000));
  });

  void it('time-to-first-byte timeout', async () => {
    const e = await rejection(load('/slow-ttfb', { ttfbTimeoutMs: 100 }));
    assert.equal(e.type, 'timeout');
    assert.match(e.message, /first byte/);
  });

  void it('no-progress timeout', async () => {
    const e = await rejection(load('/stall', { noProgressTimeoutMs: 150 }));
    assert.equal(e.type, 'timeout');
    assert.match(e.message, /no progress/);
  });

  void it('retries 5xx with back-off, then succeeds', async () => {
    const { data } = await load('/flaky', { retries: 3 });
    assert.deepEqual(data, BODY);
    assert.equal(origin.hits.get('/flaky'), 3);
  });

  void it('does not retry 4xx', async () => {
    const e = await rejection(load('/missing', { retries: 3 }));
    assert.equal(e.type, 'http-error');
    assert.equal(e.status, 404);
    assert.equal(origin.hits.get('/missing'), 1);
  });

  void it('a connection cut mid-body is retried from the byte reached (Range), bytes exact', async () => {
    const { data } = await load('/cut', { retries: 2 });
    assert.deepEqual(data, BODY);
    const second = origin.ranges.filter((r) => r.startsWith('/cut'))[1];
    assert.match(second ?? '', /^\/cut bytes=\d+-$/);
    assert.notEqual(second, '/cut bytes=0-');
  });

  void it('abort via AbortSignal rejects with type aborted', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 50);
    const e = await rejection(load('/stall', { signal: ctrl.signal }));
    assert.equal(e.type, 'aborted');
  });

  void it('a failure mid-body releases the request: its fetch is aborted, so the connection goes back to the pool', async () => {
    // A browser keeps an HTTP/1.1 connection busy until a response body is read or its request aborted; six stuck
    // per host and the player's own playlist requests queue behind them.
    const signals: AbortSignal[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return fetch(input, init);
    };
    const e = await rejection(
      load('/file', {
        fetch: recording,
        onData: () => {
          throw new SwarmcastError('network-error', 'the sink refused the bytes');
        },
      }),
    );
    assert.equal(e.message, 'the sink refused the bytes');
    assert.equal(signals.length, 1);
    assert.ok(signals[0]!.aborted, 'the request was left open with its body unread');
  });

  void it('request-setup hook can rewrite the URL and add headers', async () => {
    const { data } = await load('/nowhere', {
      requestSetup: (r) => ({
        ...r,
        url: r.url.replace('/nowhere', '/file'),
        headers: { ...r.headers, 'X-Test': 'yes' },
      }),
    });
    assert.deepEqual(data, BODY);
    assert.ok(origin.ranges.includes('/file - x-test=yes'));
  });
});
