/** The verifier facade on the real origin: each mode, hash lists first in 'auto', costs, aborts. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createVerifier, type Verifier, type VerifierOptions } from '../../../../core/integrity/verifier.js';
import { startOrigin, type Origin } from '../../../support/origin/index.js';
import { fixture, forged } from './support.js';

void describe('integrity/verifier', () => {
  let origin: Origin;
  let clockMs = Date.now();
  const open: Verifier[] = [];
  const verifier = (o: Partial<VerifierOptions> = {}): Verifier => {
    const v = createVerifier({ mode: 'auto', fetch, ...o });
    open.push(v);
    return v;
  };
  const seg = (base: string, rel: string): { url: string } => ({ url: `${base}/${rel}` });

  before(async () => {
    origin = await startOrigin({ live: { windowSegments: 3, startEpochMs: clockMs, now: () => clockMs } });
  });
  after(async () => {
    for (const v of open) v.destroy();
    await origin.close();
  });

  void test("'auto' with a hash list: SHA-256 against the list, a forgery is a hash-mismatch that blames the sender", async () => {
    const v = verifier();
    const manifest = `${origin.url}/cmaf/master.m3u8`;
    const bytes = fixture('cmaf/v360/seg-00005.m4s');
    const good = await v.verify(seg(origin.url, 'cmaf/v360/seg-00005.m4s'), bytes, manifest);
    assert.deepEqual(
      { ok: good.ok, method: good.method, reason: good.reason, blame: good.blame, cdnRequests: good.cdnRequests },
      { ok: true, method: 'hash-list', reason: undefined, blame: false, cdnRequests: 1 },
    );
    assert.ok(good.cdnBytes > 1000, 'the list itself, once');
    const bad = await v.verify(seg(origin.url, 'cmaf/v360/seg-00005.m4s'), forged(bytes), manifest);
    assert.deepEqual(
      [bad.ok, bad.method, bad.reason, bad.blame, bad.cdnRequests],
      [false, 'hash-list', 'hash-mismatch', true, 0],
    );
    assert.match(bad.detail, /SHA-256 [0-9a-f]{64} ≠ [0-9a-f]{64} listed for/);
    // Byte ranges: the key is the range with its last byte included; a wrong length fails before hashing.
    const single = fixture('single/v240.mp4');
    const range = { start: 1229, end: 8956 };
    const ok = await v.verify(
      { url: `${origin.url}/single/v240.mp4`, byteRange: range },
      single.subarray(1229, 8956),
      `${origin.url}/single/manifest.mpd`,
    );
    assert.equal(ok.method, 'hash-list');
    assert.equal(ok.ok, true, ok.detail);
    const short = await v.verify(
      { url: `${origin.url}/single/v240.mp4`, byteRange: range },
      single.subarray(1229, 8000),
      `${origin.url}/single/manifest.mpd`,
    );
    assert.deepEqual([short.reason, short.blame, short.cdnRequests], ['length-mismatch', true, 0]);
  });

  void test("'auto' without a hash list falls back to the spot check; 'hash-list' fails unblamed", async () => {
    const base = `${origin.url}/nolist`;
    const manifest = `${base}/hls-ts/master.m3u8`;
    const bytes = fixture('hls-ts/240p/seg-00002.ts');
    const auto = verifier();
    const good = await auto.verify(seg(base, 'hls-ts/240p/seg-00002.ts'), bytes, manifest);
    assert.deepEqual([good.ok, good.method, good.cdnRequests], [true, 'spot-check', 2], good.detail); // 404 + window
    const again = await auto.verify(
      seg(base, 'hls-ts/240p/seg-00003.ts'),
      fixture('hls-ts/240p/seg-00003.ts'),
      manifest,
    );
    assert.equal(again.cdnRequests, 1, 'the missing list is remembered');
    const bad = await auto.verify(seg(base, 'hls-ts/240p/seg-00002.ts'), forged(bytes), manifest);
    assert.deepEqual([bad.ok, bad.reason, bad.blame], [false, 'window-mismatch', true]);
    const strict = verifier({ mode: 'hash-list' });
    const r = await strict.verify(seg(base, 'hls-ts/240p/seg-00002.ts'), bytes, manifest);
    assert.deepEqual([r.ok, r.method, r.reason, r.blame], [false, 'hash-list', 'absent-list', false]);
  });

  void test("'spot-check' never asks for a list; 'off' passes everything at no cost", async () => {
    const bytes = fixture('hls-ts/360p/seg-00001.ts');
    const spot = await verifier({ mode: 'spot-check' }).verify(
      seg(`${origin.url}/c/spot`, 'hls-ts/360p/seg-00001.ts'),
      bytes,
      `${origin.url}/hls-ts/master.m3u8`,
    );
    assert.deepEqual([spot.ok, spot.method, spot.cdnRequests], [true, 'spot-check', 1]);
    assert.deepEqual(
      Object.keys(origin.meter.snapshot().byPath).filter((p) => p.endsWith('.json') && p.includes('spot')),
      [],
    );
    const off = await verifier({ mode: 'off' }).verify(seg(origin.url, 'x.ts'), forged(bytes), `${origin.url}/m3u8`);
    assert.deepEqual([off.ok, off.method, off.cdnBytes, off.cdnRequests], [true, 'none', 0, 0]);
    assert.throws(
      () => createVerifier({ mode: 'sha256' as 'auto', fetch }),
      /integrity mode must be one of auto, hash-list, spot-check, off, got "sha256"/,
    );
  });

  void test("live: a segment the list does not have yet costs 'auto' one refetch at most, then the spot check; 'hash-list' waits", async () => {
    clockMs += 29 * 2000; // newest index 31 (number 32) in a window of 3
    const manifest = `${origin.url}/live/cmaf/manifest.mpd`;
    const url = `${origin.url}/live/cmaf/v240/seg-00033.m4s`;
    const hashListOptions = { refetchIntervalMs: 100, maxWaitMs: 3000 };
    const auto = verifier({ hashList: hashListOptions });
    await auto.verify({ url: `${origin.url}/live/cmaf/v240/seg-00032.m4s` }, new Uint8Array(1), manifest, {
      live: true,
    });
    clockMs += 2000; // number 33 is out, the list read above does not have it
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const fast = await auto.verify({ url }, bytes, manifest, { live: true });
    assert.deepEqual([fast.ok, fast.method, fast.cdnRequests], [true, 'hash-list', 1], fast.detail);
    // Never listed: 'auto' does not wait out maxWaitMs (3 s), one refetch then the spot check (404 here: unblamed).
    const t0 = performance.now();
    const never = await auto.verify({ url: `${origin.url}/live/cmaf/v240/seg-09999.m4s` }, bytes, manifest, {
      live: true,
    });
    assert.deepEqual([never.method, never.reason, never.blame], ['spot-check', 'origin-error', false], never.detail);
    assert.ok(performance.now() - t0 < 1500);
    const strict = verifier({ mode: 'hash-list', hashList: hashListOptions });
    clockMs -= 2000;
    await strict.verify({ url: `${origin.url}/live/cmaf/v240/seg-00032.m4s` }, new Uint8Array(1), manifest, {
      live: true,
    });
    setTimeout(() => (clockMs += 2000), 300);
    const waited = await strict.verify({ url }, bytes, manifest, { live: true });
    assert.deepEqual([waited.ok, waited.method], [true, 'hash-list'], waited.detail);
    assert.ok(waited.cdnRequests >= 2, 'refetched until listed');
  });

  void test('destroy() or the caller’s signal end a pending check as aborted, not blamed; an explicit hashListUrl is used', async () => {
    const v = verifier({ mode: 'hash-list', hashList: { refetchIntervalMs: 50, maxWaitMs: 60_000 } });
    const manifest = `${origin.url}/live/cmaf/manifest.mpd`;
    const pending = v.verify({ url: `${origin.url}/live/cmaf/v240/seg-09999.m4s` }, new Uint8Array(5), manifest, {
      live: true,
    });
    await new Promise((r) => setTimeout(r, 150));
    v.destroy();
    const r = await pending;
    assert.deepEqual([r.ok, r.reason, r.blame], [false, 'aborted', false]);
    const ctrl = new AbortController();
    ctrl.abort();
    const pre = await verifier().verify(
      { url: `${origin.url}/hls-ts/240p/seg-00001.ts` },
      new Uint8Array(5),
      manifest,
      { signal: ctrl.signal },
    );
    assert.equal(pre.reason, 'aborted');
    const explicit = verifier({ mode: 'hash-list', hashListUrl: `${origin.url}/hls-ts/segments-sha256.json` });
    const e = await explicit.verify(
      { url: `${origin.url}/hls-ts/240p/seg-00001.ts` },
      fixture('hls-ts/240p/seg-00001.ts'),
      'https://elsewhere.example/x.m3u8',
    );
    assert.equal(e.ok, true, e.detail);
  });
});
