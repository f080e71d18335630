import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Origin } from '../../support/origin/index.js';
import { DEFAULT_ROOT, startOrigin } from '../../support/origin/index.js';
import { readTfdts } from '../../support/origin/mp4.js';

// The generated fixtures (60 s, 30 × 2 s segments); skipped when they have not been generated.
const skip = !existsSync(path.join(DEFAULT_ROOT, 'cmaf/manifest.mpd')) && 'test/fixtures not generated';
const START = Date.UTC(2030, 0, 1);
let clock = START;
let origin: Origin;

void describe('origin on the real fixtures', { skip }, () => {
  before(async () => {
    origin = await startOrigin({ live: { startEpochMs: START, now: () => clock } });
  });
  after(() => origin.close());

  void it('serves every packaging live', async () => {
    clock = START + 61_000; // newest index 39: the window 30..39 is the second loop
    for (const p of ['hls-ts/240p/index.m3u8', 'cmaf/v240/index.m3u8', 'cmaf/audio/index.m3u8', 'single/v240.m3u8']) {
      const text = await (await fetch(`${origin.url}/c/x/live/${p}`)).text();
      assert.match(text, /^#EXT-X-MEDIA-SEQUENCE:30$/m, p);
      // HLS fMP4 plays live DASH's files (timestamps patched to run on): no discontinuity at the wrap.
      const wraps = p.startsWith('cmaf/') ? 0 : 1;
      assert.match(text, new RegExp(`^#EXT-X-DISCONTINUITY-SEQUENCE:${wraps}$`, 'm'), p);
    }
    for (const rep of ['v240', 'audio']) {
      const text = await (await fetch(`${origin.url}/live/cmaf/${rep}/index.m3u8`)).text();
      assert.match(text, /^seg-00031\.m4s$/m, `${rep}: sequence 30 is DASH number 31`);
    }
    const mpd = await fetch(`${origin.url}/live/cmaf/manifest.mpd`);
    assert.match(await mpd.text(), /type="dynamic"/);
    assert.equal((await fetch(`${origin.url}/live/single/manifest.mpd`)).status, 404);
  });

  void it('shifts video and audio tfdt by one 60 s loop', async () => {
    clock = START + 61_000;
    for (const [rep, timescale] of [
      ['v240', 12800],
      ['audio', 48000],
    ] as const) {
      const live = Buffer.from(await (await fetch(`${origin.url}/live/cmaf/${rep}/seg-00036.m4s`)).arrayBuffer());
      const vod = await readFile(path.join(DEFAULT_ROOT, `cmaf/${rep}/seg-00006.m4s`));
      const [l] = readTfdts(live);
      const [v] = readTfdts(vod);
      assert.equal(l?.time, (v?.time ?? 0n) + BigInt(60 * timescale), rep);
    }
    assert.equal((await fetch(`${origin.url}/live/cmaf/v240/seg-00041.m4s`)).status, 404);
  });
});
