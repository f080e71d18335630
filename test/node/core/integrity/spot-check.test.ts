/** The spot check against the real origin (and an origin that misbehaves): what it catches, what it costs. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  SPOT_CHECK_DEFAULTS,
  secureRandom,
  spotCheck,
  windowBytes,
  windowOffsets,
  type SpotCheckOptions,
} from '../../../../core/integrity/spot-check.js';
import { startOrigin, type Origin } from '../../../support/origin/index.js';
import { fixture, forged, seeded, startOddOrigin, type OddOrigin } from './support.js';

void describe('integrity/spot-check', () => {
  let origin: Origin;
  let odd: OddOrigin;
  const TS = 'hls-ts/480p/seg-00010.ts';
  const ts = fixture(TS);
  const options = (o: Partial<SpotCheckOptions> = {}): SpotCheckOptions => ({
    fetch,
    random: secureRandom,
    ...SPOT_CHECK_DEFAULTS,
    ...o,
  });
  const client = (name: string): string => `${origin.url}/c/${name}`;

  before(async () => {
    origin = await startOrigin();
    odd = await startOddOrigin(ts);
  });
  after(async () => {
    await origin.close();
    await odd.close();
  });

  void test('honest bytes pass for whole files (TS, fMP4, init) and byte ranges, at one Range request of one window', async () => {
    const single = fixture('single/v480.mp4');
    const cases = [
      [TS, undefined],
      ['cmaf/v480/seg-00003.m4s', undefined],
      ['cmaf/v480/init.mp4', undefined],
      ['single/v480.mp4', { start: 1229, end: 1229 + 20_000 }],
    ] as const;
    for (const [rel, range] of cases) {
      const bytes = range ? single.subarray(range.start, range.end) : fixture(rel);
      const v = await spotCheck(options(), `${client('honest')}/${rel}`, range, bytes);
      assert.equal(v.ok, true, `${rel}: ${v.detail}`);
      assert.equal(v.method, 'spot-check');
      assert.equal(v.cdnRequests, 1);
      assert.equal(v.cdnBytes, windowBytes(bytes.byteLength, SPOT_CHECK_DEFAULTS));
    }
    // What the origin counted is what the verdicts say.
    const meter = origin.meter.snapshot().byClient.honest;
    assert.equal(meter?.requests, 4);
  });

  void test('a forged segment of the right size fails with window-mismatch, blaming the sender, on every window', async () => {
    const random = seeded(1);
    const fake = forged(ts);
    for (let i = 0; i < 50; i++) {
      const v = await spotCheck(options({ random }), `${origin.url}/${TS}`, undefined, fake);
      assert.equal(v.reason, 'window-mismatch');
      assert.equal(v.blame, true);
    }
  });

  void test('another picture of the same size (a different segment, cut or padded) is caught every time', async () => {
    const random = seeded(2);
    const other = fixture('hls-ts/480p/seg-00011.ts');
    const replaced = new Uint8Array(ts.byteLength);
    replaced.set(other.subarray(0, ts.byteLength));
    for (let i = 0; i < 50; i++) {
      const v = await spotCheck(options({ random }), `${origin.url}/${TS}`, undefined, replaced);
      assert.equal(v.reason, 'window-mismatch', v.detail);
    }
  });

  void test('a truncated or extended segment always fails with length-mismatch, whatever the window', async () => {
    for (const bytes of [ts.subarray(0, ts.byteLength - 188), new Uint8Array([...ts, 0x47]), ts.subarray(0, 100)]) {
      for (let i = 0; i < 10; i++) {
        const v = await spotCheck(options(), `${origin.url}/${TS}`, undefined, bytes);
        assert.equal(v.reason, 'length-mismatch', v.detail);
        assert.equal(v.blame, true);
      }
    }
    // Empty bytes for a non-empty file: the one-byte probe's Content-Range total tells.
    const empty = await spotCheck(options(), `${origin.url}/${TS}`, undefined, new Uint8Array(0));
    assert.equal(empty.reason, 'length-mismatch');
    // A byte range's length is known: checked before any request.
    const range = await spotCheck(
      options(),
      `${client('range')}/single/v240.mp4`,
      { start: 1229, end: 8956 },
      new Uint8Array(7000),
    );
    assert.equal(range.reason, 'length-mismatch');
    assert.equal(range.cdnRequests, 0);
    assert.equal(origin.meter.snapshot().byClient.range, undefined);
  });

  void test('a few altered bytes are caught only when the window covers them (the documented limit)', async () => {
    const n = ts.byteLength;
    const w = windowBytes(n, SPOT_CHECK_DEFAULTS);
    const at = 5000;
    const altered = ts.slice();
    altered[at] = (altered[at] ?? 0) ^ 1;
    // random() = r puts the window at floor(r·(n − w + 1)).
    const windowAt =
      (offset: number): (() => number) =>
      () =>
        offset / (n - w + 1);
    const covering = await spotCheck(options({ random: windowAt(at - 10) }), `${origin.url}/${TS}`, undefined, altered);
    assert.equal(covering.reason, 'window-mismatch');
    const elsewhere = await spotCheck(
      options({ random: windowAt(at + 100) }),
      `${origin.url}/${TS}`,
      undefined,
      altered,
    );
    assert.equal(elsewhere.ok, true, 'a one-byte change outside the window passes');
    // Over many random windows the catch rate is about (w + 1) / (n − w + 1).
    const random = seeded(3);
    let caught = 0;
    const trials = 200;
    for (let i = 0; i < trials; i++) {
      const v = await spotCheck(options({ random }), `${origin.url}/${TS}`, undefined, altered);
      if (!v.ok) caught++;
    }
    const expected = w / (n - w + 1);
    console.log(
      `one altered byte in ${n}: window ${w} B, caught ${caught}/${trials} (expected ${(expected * 100).toFixed(1)} %)`,
    );
    assert.ok(Math.abs(caught / trials - expected) < 0.1, `catch rate ${caught / trials} vs ${expected}`);
  });

  void test('origin trouble never passes unverified bytes and never blames the peer', async () => {
    const cases = [
      ['error', 'origin-error', /HTTP 500/],
      ['star', 'origin-error', /no total length/],
      ['gzip', 'origin-error', /gzip-encoded/],
      ['hang', 'origin-error', /timeout after 300 ms/],
    ] as const;
    for (const [path, reason, detail] of cases) {
      const v = await spotCheck(options({ timeoutMs: 300 }), `${odd.url}/${path}`, undefined, ts);
      assert.equal(v.ok, false, path);
      assert.equal(v.reason, reason, `${path}: ${v.detail}`);
      assert.match(v.detail, detail);
      assert.equal(v.blame, false);
    }
    const missing = await spotCheck(options(), `${origin.url}/hls-ts/480p/seg-99999.ts`, undefined, ts);
    assert.equal(missing.reason, 'origin-error');
    assert.equal(missing.blame, false);
    const ctrl = new AbortController();
    const aborted = spotCheck(options(), `${odd.url}/hang`, undefined, ts, ctrl.signal);
    setTimeout(() => ctrl.abort(), 50);
    assert.equal((await aborted).reason, 'aborted');
  });

  void test('an origin that ignores Range: whole files are still checked (length from Content-Length or the body); byte ranges are not', async () => {
    const ok = await spotCheck(options({ random: () => 0.5 }), `${odd.url}/ignores-range`, undefined, ts);
    assert.equal(ok.ok, true, ok.detail);
    const w = windowBytes(ts.byteLength, SPOT_CHECK_DEFAULTS);
    const offset = Math.floor(0.5 * (ts.byteLength - w + 1));
    assert.equal(
      ok.cdnBytes >= offset + w && ok.cdnBytes <= ts.byteLength,
      true,
      'read up to the window, then cancelled',
    );
    assert.equal(
      (await spotCheck(options(), `${odd.url}/ignores-range`, undefined, forged(ts))).reason,
      'window-mismatch',
    );
    assert.equal(
      (await spotCheck(options(), `${odd.url}/ignores-range`, undefined, ts.subarray(1))).reason,
      'length-mismatch',
    );
    assert.equal((await spotCheck(options(), `${odd.url}/no-length`, undefined, ts)).ok, true);
    assert.equal(
      (await spotCheck(options(), `${odd.url}/no-length`, undefined, ts.subarray(1))).reason,
      'length-mismatch',
    );
    const ranged = await spotCheck(
      options(),
      `${odd.url}/ignores-range`,
      { start: 100, end: 200 },
      ts.subarray(100, 200),
    );
    assert.equal(ranged.reason, 'range-unsupported');
    assert.equal(ranged.blame, false);
  });

  void test("a copy pieced from a peer and HTTP is checked inside the peer's bytes: a forged part shorter than the window is always caught", async () => {
    // The peer sent 1000 forged bytes and was cut off; HTTP Range sent the rest, genuine. A window drawn over the
    // whole copy would land on HTTP bytes almost every time.
    const copy = new Uint8Array(ts);
    copy.set(forged(ts.subarray(0, 1000)), 0);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const v = await spotCheck(
        options({ random: seeded(seed) }),
        `${client('pieced')}/${TS}`,
        undefined,
        copy,
        undefined,
        [{ start: 0, end: 1000, peerId: 'A' }],
      );
      assert.equal(v.ok, false, `seed ${seed}: ${v.detail}`);
      assert.equal(v.reason, 'window-mismatch', v.detail);
      assert.equal(v.cdnRequests, 1);
    }
    // The same copy with a forged part in the middle, sent by a second peer: one window per peer, both requested.
    const mid = new Uint8Array(ts);
    mid.set(forged(ts.subarray(20_000, 20_500)), 20_000);
    const spans = [
      { start: 0, end: 20_000, peerId: 'A' },
      { start: 20_000, end: 20_500, peerId: 'B' },
    ];
    const two = await spotCheck(options(), `${client('pieced')}/${TS}`, undefined, mid, undefined, spans);
    assert.equal(two.ok, false, two.detail);
    assert.match(two.detail, /byte 20\d{3} differs/);
    const honest = await spotCheck(options(), `${client('pieced')}/${TS}`, undefined, ts, undefined, spans);
    assert.equal(honest.ok, true, honest.detail);
    assert.equal(honest.cdnRequests, 2);
  });

  void test("window offsets: anywhere for a copy from one peer, inside each peer's part otherwise; more than 3 peers refused unblamed", async () => {
    const n = 100_000;
    const w = windowBytes(n, SPOT_CHECK_DEFAULTS);
    for (const r of [0, 0.3, 0.999]) {
      const [inPrefix] = windowOffsets(n, w, () => r, [{ start: 0, end: 500, peerId: 'A' }]);
      assert.equal(inPrefix, 0, 'a 500-byte prefix lies wholly in the window');
      const [inSuffix] = windowOffsets(n, w, () => r, [{ start: n - 300, end: n, peerId: 'A' }]);
      assert.equal(inSuffix, n - w);
      const [big] = windowOffsets(n, w, () => r, [{ start: 10_000, end: 60_000, peerId: 'A' }]);
      assert.ok(big !== undefined && big >= 10_000 && big + w <= 60_000, `window at ${big} inside the peer's part`);
    }
    assert.equal(windowOffsets(n, w, () => 0.5, [{ start: 0, end: n, peerId: 'A' }]).length, 1);
    assert.equal(windowOffsets(n, w, () => 0.5, undefined).length, 1);
    const four = ['A', 'B', 'C', 'D'].map((peerId, i) => ({ start: i * 1000, end: i * 1000 + 1000, peerId }));
    const v = await spotCheck(options(), `${client('pieced')}/${TS}`, undefined, ts, undefined, four);
    assert.equal(v.ok, false);
    assert.equal(v.blame, false, "not the peers' fault: the copy is refetched over HTTP");
    assert.equal(v.cdnRequests, 0);
  });

  void test('window size: a 256th of the segment within [1 KiB, 16 KiB], never more than the segment', () => {
    assert.equal(windowBytes(500, SPOT_CHECK_DEFAULTS), 500);
    assert.equal(windowBytes(50_000, SPOT_CHECK_DEFAULTS), 1024);
    assert.equal(windowBytes(400_000, SPOT_CHECK_DEFAULTS), 1563);
    assert.equal(windowBytes(640_000, SPOT_CHECK_DEFAULTS), 2500);
    assert.equal(windowBytes(8_000_000, SPOT_CHECK_DEFAULTS), 16_384);
    for (let i = 0; i < 1000; i++) {
      const r = secureRandom();
      assert.ok(r >= 0 && r < 1);
    }
  });
});
