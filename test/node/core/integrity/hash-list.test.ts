/** PeerTube's segments-sha256.json: parsing, keys, and fetching from the real test origin (VOD and live). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  defaultHashListUrl,
  expectedDigest,
  HashListFormatError,
  parseHashList,
  rangeKey,
  segmentKey,
} from '../../../../core/integrity/hash-list.js';
import { HASH_LIST_DEFAULTS, HashListSource } from '../../../../core/integrity/hash-list-source.js';
import { startOrigin, type Origin } from '../../../support/origin/index.js';
import { fixture, sha256Hex, startOddOrigin, type OddOrigin } from './support.js';

const H = 'a'.repeat(64);

void describe('integrity/hash-list format', () => {
  void test('reads both PeerTube shapes: whole files, and byte ranges keyed "first-last" with the last byte included', () => {
    // As PeerTube's VOD job writes it: json[file.filename] = { `${offset}-${offset + length - 1}`: sha256 }.
    const list = parseHashList({ 'seg-1.ts': H, 'video-720-fragmented.mp4': { '1229-8955': H.toUpperCase() } });
    assert.equal(expectedDigest(list, 'seg-1.ts', undefined), H);
    // swarmcast byte ranges are end-exclusive: 1229 + 7727 bytes = [1229, 8956).
    assert.equal(rangeKey({ start: 1229, end: 8956 }), '1229-8955');
    assert.equal(expectedDigest(list, 'video-720-fragmented.mp4', { start: 1229, end: 8956 }), H);
    assert.equal(expectedDigest(list, 'video-720-fragmented.mp4', { start: 1229, end: 8955 }), undefined);
    assert.equal(expectedDigest(list, 'video-720-fragmented.mp4', undefined), undefined);
    assert.equal(expectedDigest(list, 'seg-1.ts', { start: 0, end: 10 }), undefined);
  });

  void test('rejects what is not a hash list, naming the bad entry', () => {
    for (const [json, message] of [
      [[], /not a JSON object/],
      [{ a: 'xyz' }, /"a": not a SHA-256/],
      [{ a: { '10-2': H } }, /bad byte range "10-2"/],
      [{ a: { '1-2': 5 } }, /"a" 1-2: not a SHA-256/],
      [{ a: 3 }, /expected a digest or an object/],
    ] as const) {
      assert.throws(
        () => parseHashList(json),
        (e: Error) => e instanceof HashListFormatError && message.test(e.message),
      );
    }
  });

  void test('keys are paths relative to the list directory, decoded, without query; others are never listed', () => {
    const list = 'https://cdn.example.com/show/segments-sha256.json';
    assert.equal(defaultHashListUrl('https://cdn.example.com/show/master.m3u8?token=1'), list);
    assert.equal(segmentKey(list, 'https://cdn.example.com/show/seg-1.ts?live=4'), 'seg-1.ts');
    assert.equal(segmentKey(list, 'https://cdn.example.com/show/v240/seg%201.m4s'), 'v240/seg 1.m4s');
    assert.equal(segmentKey(list, 'v240/seg-2.m4s'), 'v240/seg-2.m4s');
    assert.equal(segmentKey(list, 'https://cdn.example.com/other/seg-1.ts'), undefined);
    assert.equal(segmentKey(list, 'https://evil.example.com/show/seg-1.ts'), undefined);
    assert.equal(segmentKey(list, 'https://cdn.example.com/show/'), undefined);
  });
});

void describe('integrity/hash-list source on the real origin', () => {
  let origin: Origin;
  let odd: OddOrigin;
  let clockMs = Date.now();
  const source = (o: Partial<ConstructorParameters<typeof HashListSource>[0]> = {}): HashListSource =>
    new HashListSource({ fetch, now: () => performance.now(), ...HASH_LIST_DEFAULTS, ...o });

  before(async () => {
    // Live: 2 s segments, a window of 3 at clockMs; the clock only moves when a test moves it.
    origin = await startOrigin({ live: { windowSegments: 3, startEpochMs: clockMs, now: () => clockMs } });
    odd = await startOddOrigin(new Uint8Array(10));
  });
  after(async () => {
    await origin.close();
    await odd.close();
  });

  void test('VOD: every fixture layout is listed with the origin file bytes’ SHA-256', async () => {
    const s = source();
    try {
      const cases = [
        ['hls-ts', 'hls-ts/360p/seg-00004.ts', undefined],
        ['cmaf', 'cmaf/v240/seg-00007.m4s', undefined],
        ['cmaf', 'cmaf/audio/init.mp4', undefined],
        ['single', 'single/v360.mp4', { start: 0, end: 829 }],
      ] as const;
      for (const [dir, rel, range] of cases) {
        const listUrl = `${origin.url}/${dir}/segments-sha256.json`;
        const r = await s.lookup(listUrl, `${origin.url}/${rel}`, range, { live: false });
        const bytes = fixture(rel);
        assert.deepEqual(r.result, {
          kind: 'hash',
          digestHex: sha256Hex(range ? bytes.subarray(range.start, range.end) : bytes),
        });
      }
      // One fetch per list, then served from memory.
      assert.equal(origin.meter.snapshot().byPath['/cmaf/segments-sha256.json']?.requests, 1);
    } finally {
      s.destroy();
    }
  });

  void test('a missing list is "absent-list"; a list without the segment is "not-listed"; garbage or 5xx is "list-error"', async () => {
    const s = source();
    try {
      const seg = `${origin.url}/nolist/hls-ts/360p/seg-00001.ts`;
      const absent = await s.lookup(`${origin.url}/nolist/hls-ts/segments-sha256.json`, seg, undefined, {
        live: false,
      });
      assert.deepEqual(absent.result, { kind: 'absent-list' });
      assert.equal(absent.cdnRequests, 1);
      const notListed = await s.lookup(
        `${origin.url}/hls-ts/segments-sha256.json`,
        `${origin.url}/hls-ts/360p/seg-99999.ts`,
        undefined,
        { live: false },
      );
      assert.deepEqual(notListed.result, { kind: 'not-listed' });
      const garbage = await s.lookup(
        `${origin.url}/cmaf/manifest.mpd`,
        `${origin.url}/cmaf/v240/seg-00001.m4s`,
        undefined,
        { live: false },
      );
      assert.equal(garbage.result.kind, 'list-error');
      const failing = await s.lookup(`${odd.url}/list-500`, `${odd.url}/seg.ts`, undefined, { live: false });
      assert.deepEqual(failing.result, {
        kind: 'list-error',
        message: `hash list ${odd.url}/list-500: HTTP 500 for ${odd.url}/list-500`,
      });
      // Remembered: no second request within retryAfterMs.
      await s.lookup(`${odd.url}/list-500`, `${odd.url}/seg.ts`, undefined, { live: false });
      assert.equal(odd.requests.filter((r) => r.startsWith('/list-500')).length, 1);
    } finally {
      s.destroy();
    }
  });

  void test('live: a segment newer than the list is waited for, with one refetch per interval for all waiters', async () => {
    const s = source({ refetchIntervalMs: 100, maxWaitMs: 3000 });
    try {
      const listUrl = `${origin.url}/live/cmaf/segments-sha256.json`;
      // Window of 3 at index 2; a full loop is 30 segments, so number 33 (index 32) has shifted timestamps.
      clockMs += 29 * 2000;
      const next = `${origin.url}/live/cmaf/v240/seg-00033.m4s`;
      const before = origin.meter.snapshot().byPath['/live/cmaf/segments-sha256.json']?.requests ?? 0;
      const waiting = [0, 1, 2, 3, 4].map(() => s.lookup(listUrl, next, undefined, { live: true }));
      setTimeout(() => (clockMs += 2000), 450); // the packager publishes index 32
      const results = await Promise.all(waiting);
      const served = new Uint8Array(await (await fetch(next)).arrayBuffer());
      for (const r of results) assert.deepEqual(r.result, { kind: 'hash', digestHex: sha256Hex(served) });
      assert.notEqual(sha256Hex(served), sha256Hex(fixture('cmaf/v240/seg-00003.m4s')), 'looped bytes differ from VOD');
      const requests = (origin.meter.snapshot().byPath['/live/cmaf/segments-sha256.json']?.requests ?? 0) - before;
      // ~450 ms of waiting at one fetch per 100 ms: a handful, not one per waiter per interval.
      assert.ok(requests >= 2 && requests <= 8, `${requests} list fetches`);
      assert.equal(
        results.reduce((n, r) => n + r.cdnRequests, 0),
        requests,
        'each fetch counted once',
      );
    } finally {
      s.destroy();
    }
  });

  void test('live: the wait is bounded; VOD never waits', async () => {
    const s = source({ refetchIntervalMs: 100, maxWaitMs: 400 });
    try {
      const listUrl = `${origin.url}/live/cmaf/segments-sha256.json`;
      const never = `${origin.url}/live/cmaf/v240/seg-09999.m4s`;
      const t0 = performance.now();
      const live = await s.lookup(listUrl, never, undefined, { live: true });
      assert.deepEqual(live.result, { kind: 'not-listed' });
      assert.ok(live.cdnRequests >= 2 && live.cdnRequests <= 6, `${live.cdnRequests} fetches in a 400 ms wait`);
      assert.ok(performance.now() - t0 >= 300);
      const vod = await s.lookup(listUrl, never, undefined, { live: false });
      assert.deepEqual(vod, { result: { kind: 'not-listed' }, cdnBytes: 0, cdnRequests: 0 });
    } finally {
      s.destroy();
    }
  });

  void test('requests go through httpRequestSetup; destroy() ends a pending wait', async () => {
    const seen: string[] = [];
    const s = source({
      refetchIntervalMs: 50,
      maxWaitMs: 60_000,
      httpRequestSetup: (r) => {
        seen.push(r.url);
        return { ...r, url: r.url.replace(origin.url, `${origin.url}/c/setup`) };
      },
    });
    const pending = s.lookup(
      `${origin.url}/live/cmaf/segments-sha256.json`,
      `${origin.url}/live/cmaf/v240/seg-09999.m4s`,
      undefined,
      { live: true },
    );
    await new Promise((r) => setTimeout(r, 200));
    s.destroy();
    await assert.rejects(pending, (e: { type?: string }) => e.type === 'aborted');
    assert.ok(seen.length >= 1 && seen.every((u) => u.endsWith('/live/cmaf/segments-sha256.json')));
    assert.ok((origin.meter.snapshot().byClient.setup?.requests ?? 0) >= 1);
  });
});
