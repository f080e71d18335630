import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { MeterSnapshot, Origin } from '../../support/origin/index.js';
import { startOrigin } from '../../support/origin/index.js';
import { writeSyntheticFixtures } from '../../support/origin/synthetic.js';

let root: string;
let origin: Origin;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'origin-test-'));
  await writeSyntheticFixtures(root);
  origin = await startOrigin({ root });
});

after(async () => {
  await origin.close();
  await rm(root, { recursive: true, force: true });
});

/** Raw request: fetch would normalise `..` away and hide the traversal attempt. */
function rawGet(urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: origin.port, path: urlPath }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function meter(): Promise<MeterSnapshot> {
  return (await (await fetch(`${origin.url}/_meter`)).json()) as MeterSnapshot;
}

void describe('static files', () => {
  void it('serves whole files with length, ranges advertised and no caching', async () => {
    const res = await fetch(`${origin.url}/big.bin`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '200000');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal((await res.arrayBuffer()).byteLength, 200000);
  });

  void it('answers single ranges with 206 and Content-Range', async () => {
    const full = Buffer.from(await (await fetch(`${origin.url}/single/v0.mp4`)).arrayBuffer());
    const cases: [string, number, number][] = [
      ['bytes=10-19', 10, 19],
      ['bytes=4990-', 4990, 4999],
      ['bytes=-100', 4900, 4999],
      ['bytes=4000-99999', 4000, 4999],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${origin.url}/single/v0.mp4`, { headers: { Range: range } });
      assert.equal(res.status, 206, range);
      assert.equal(res.headers.get('content-range'), `bytes ${start}-${end}/5000`);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), full.subarray(start, end + 1));
    }
  });

  void it('answers unsatisfiable ranges with 416', async () => {
    for (const range of ['bytes=5000-', 'bytes=-0']) {
      const res = await fetch(`${origin.url}/single/v0.mp4`, { headers: { Range: range } });
      assert.equal(res.status, 416, range);
      assert.equal(res.headers.get('content-range'), 'bytes */5000');
      await res.arrayBuffer();
    }
  });

  void it('HEAD sends headers only', async () => {
    const res = await fetch(`${origin.url}/big.bin`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '200000');
  });

  void it('sets content types by extension', async () => {
    const cases: [string, string][] = [
      ['/hls-ts/master.m3u8', 'application/vnd.apple.mpegurl'],
      ['/cmaf/manifest.mpd', 'application/dash+xml'],
      ['/hls-ts/240p/seg-00000.ts', 'video/mp2t'],
      ['/cmaf/v0/seg-1.m4s', 'video/iso.segment'],
      ['/cmaf/v0/init.mp4', 'video/mp4'],
      ['/page.html', 'text/html; charset=utf-8'],
    ];
    for (const [p, type] of cases) {
      const res = await fetch(origin.url + p);
      assert.equal(res.headers.get('content-type'), type, p);
      await res.arrayBuffer();
    }
  });

  void it('refuses path traversal and 404s missing files', async () => {
    for (const p of [
      '/../../etc/passwd',
      '/c/x/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      const { status } = await rawGet(p);
      assert.ok(status === 403 || status === 404, `${p} → ${status}`);
    }
    assert.equal((await rawGet('/nope.ts')).status, 404);
  });
});

void describe('CORS', () => {
  void it('allows any origin without credentials and exposes range headers', async () => {
    const res = await fetch(`${origin.url}/big.bin`, { method: 'HEAD' });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const exposed = res.headers.get('access-control-expose-headers') ?? '';
    for (const h of ['Content-Length', 'Content-Range', 'Accept-Ranges', 'Content-Type'])
      assert.ok(exposed.includes(h));
  });

  void it('echoes the Origin with credentials allowed', async () => {
    const res = await fetch(`${origin.url}/big.bin`, { method: 'HEAD', headers: { Origin: 'http://page.test' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://page.test');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('vary') ?? '', /Origin/);
  });

  void it('answers preflight with 204 echoing the requested headers', async () => {
    const res = await fetch(`${origin.url}/cmaf/v0/seg-1.m4s`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://page.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range,x-swarmcast-client',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-headers'), 'range,x-swarmcast-client');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /GET/);
  });
});

void describe('byte meter', () => {
  void it('attributes bytes by header, query and path prefix, per path, and skips control endpoints', async () => {
    await fetch(`${origin.url}/_meter/reset`, { method: 'POST' });
    const seg = '/hls-ts/240p/seg-00001.ts';
    const size = 188 * 11;
    await (await fetch(origin.url + seg, { headers: { 'X-Swarmcast-Client': 'h1' } })).arrayBuffer();
    await (await fetch(`${origin.url}${seg}?client=q1`)).arrayBuffer();
    await (await fetch(`${origin.url}/c/p1${seg}`)).arrayBuffer();
    await (await fetch(`${origin.url}/c/p1/hls-ts/240p/index.m3u8`)).arrayBuffer();
    await (await fetch(origin.url + seg, { headers: { Range: 'bytes=0-99' } })).arrayBuffer();
    await fetch(`${origin.url}/_throttle`).then((r) => r.arrayBuffer());
    const snap = await meter();
    assert.equal(snap.byClient.h1?.bytes, size);
    assert.equal(snap.byClient.q1?.bytes, size);
    assert.equal(snap.byClient.anonymous?.bytes, 100);
    assert.ok((snap.byClient.p1?.bytes ?? 0) > size);
    assert.equal(snap.byClient.p1?.requests, 2);
    assert.deepEqual(snap.byPath[seg], { bytes: 3 * size + 100, requests: 4 });
    assert.equal(snap.requests, 5);
    assert.equal(snap.totalBytes, origin.meter.snapshot().totalBytes);
    assert.equal(origin.meter.bytesFor('h1'), size);
    // Per client and path: p1's segment and playlist, nobody else's.
    const p1 = origin.meter.pathsFor('p1');
    assert.deepEqual(Object.keys(p1).sort(), ['/hls-ts/240p/index.m3u8', seg]);
    assert.deepEqual(p1[seg], { bytes: size, requests: 1 });
    assert.deepEqual(origin.meter.pathsFor('anonymous'), { [seg]: { bytes: 100, requests: 1 } });
    assert.deepEqual(origin.meter.pathsFor('nobody'), {});
    assert.equal((await fetch(`${origin.url}/_meter/reset`, { method: 'POST' })).status, 204);
    assert.equal((await meter()).totalBytes, 0);
    assert.deepEqual(origin.meter.pathsFor('p1'), {});
  });
});

async function timedDownload(
  url: string,
  init?: RequestInit,
): Promise<{ ms: number; headersMs: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const headersMs = performance.now() - t0;
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t0, headersMs, bytes };
}

void describe('throttle', () => {
  void it('paces a 200 KB body to the configured rate and can be lifted', async () => {
    origin.setThrottle({ bandwidthBytesPerSec: 400_000 });
    let slow;
    try {
      slow = await timedDownload(`${origin.url}/big.bin`);
      assert.equal(slow.bytes, 200_000);
      assert.ok(slow.ms >= 0.8 * 500, `took ${slow.ms} ms, expected ~500`);
    } finally {
      origin.setThrottle({ bandwidthBytesPerSec: 0 });
    }
    const fast = await timedDownload(`${origin.url}/big.bin`);
    assert.ok(fast.ms < slow.ms, `unthrottled took ${fast.ms} ms`);
  });

  void it('adds latency before the headers, set over HTTP', async () => {
    const set = await fetch(`${origin.url}/_throttle?latencyMs=300&bandwidthBytesPerSec=0`, { method: 'POST' });
    assert.equal(set.status, 204);
    try {
      const state = (await (await fetch(`${origin.url}/_throttle`)).json()) as { latencyMs: number };
      assert.equal(state.latencyMs, 300);
      const t = await timedDownload(`${origin.url}/hls-ts/master.m3u8`);
      assert.ok(t.headersMs >= 240, `headers after ${t.headersMs} ms`);
    } finally {
      await fetch(`${origin.url}/_throttle?latencyMs=0`, { method: 'POST' });
    }
  });

  void it('throttles one request by query and one client by id', async () => {
    const q = await timedDownload(`${origin.url}/big.bin?throttleBytesPerSec=500000`);
    assert.ok(q.ms >= 0.8 * 400, `query-throttled took ${q.ms} ms`);
    origin.setThrottle({ clientId: 'slow', bandwidthBytesPerSec: 500_000 });
    const slow = await timedDownload(`${origin.url}/c/slow/big.bin`);
    const other = await timedDownload(`${origin.url}/c/other/big.bin`);
    assert.ok(slow.ms >= 0.8 * 400, `client-throttled took ${slow.ms} ms`);
    assert.ok(other.ms < slow.ms, 'other clients are not throttled');
  });
});

void describe('options', () => {
  void it('rejects unknown and invalid options with a readable message', async () => {
    await assert.rejects(startOrigin({ root, bandwith: 1 } as never), /unknown origin option\(s\): bandwith/);
    await assert.rejects(
      startOrigin({ root, live: { window: 3 } } as never),
      /unknown origin live option\(s\): window/,
    );
    await assert.rejects(startOrigin({ root, bandwidthBytesPerSec: -1 }), RangeError);
  });
});

/** GET through node:http, which (unlike fetch) neither adds Accept-Encoding nor decompresses. */
function rawGetBytes(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

void describe('compressManifests', () => {
  void it('gzips playlists and MPDs for clients that accept it, and the meter counts the compressed bytes', async () => {
    const o = await startOrigin({ root, compressManifests: true, live: { windowSegments: 3 } });
    try {
      const plain = await rawGetBytes(`${o.url}/live/hls-ts/240p/index.m3u8`, {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.match(plain.headers.vary ?? '', /Accept-Encoding/);
      await fetch(`${o.url}/_meter/reset`, { method: 'POST' });
      for (const file of ['live/hls-ts/240p/index.m3u8', 'cmaf/manifest.mpd']) {
        const gz = await rawGetBytes(`${o.url}/${file}`, { 'accept-encoding': 'br, gzip;q=0.8' });
        assert.equal(gz.headers['content-encoding'], 'gzip', file);
        assert.equal(Number(gz.headers['content-length']), gz.body.length);
        assert.equal(gz.headers['accept-ranges'], undefined, 'a gzip body has no byte ranges');
        assert.match(gunzipSync(gz.body).toString(), file.endsWith('.mpd') ? /<MPD/ : /#EXTM3U/);
      }
      const m = (await (await fetch(`${o.url}/_meter`)).json()) as MeterSnapshot;
      const gzBytes = m.byPath['/live/hls-ts/240p/index.m3u8']?.bytes ?? 0;
      assert.ok(gzBytes > 0 && gzBytes < plain.body.length, `${gzBytes} compressed vs ${plain.body.length} plain`);
      const refused = await rawGetBytes(`${o.url}/cmaf/manifest.mpd`, { 'accept-encoding': 'gzip;q=0' });
      assert.equal(refused.headers['content-encoding'], undefined);
      const ranged = await rawGetBytes(`${o.url}/cmaf/manifest.mpd`, { 'accept-encoding': 'gzip', range: 'bytes=0-9' });
      assert.equal(ranged.headers['content-encoding'], undefined);
      assert.equal(ranged.body.length, 10);
      const segment = await rawGetBytes(`${o.url}/single/v0.mp4`, { 'accept-encoding': 'gzip' });
      assert.equal(segment.headers['content-encoding'], undefined, 'media is sent as it is');
    } finally {
      await o.close();
    }
  });

  void it('is off by default', async () => {
    const gz = await rawGetBytes(`${origin.url}/cmaf/manifest.mpd`, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], undefined);
  });
});

void describe('close', () => {
  void it('returns promptly while a throttled download is in flight', async () => {
    const o = await startOrigin({ root, bandwidthBytesPerSec: 10_000 });
    const res = await fetch(`${o.url}/big.bin`);
    const body = res.arrayBuffer().catch(() => 'aborted');
    const t0 = performance.now();
    await o.close();
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(await body, 'aborted');
  });
});
