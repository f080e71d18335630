import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Origin } from '../../support/origin/index.js';
import { startOrigin } from '../../support/origin/index.js';
import { liveTimeline } from '../../support/origin/live-clock.js';
import { liveMpd } from '../../support/origin/live-dash.js';
import { livePlaylist } from '../../support/origin/live-hls.js';
import { readTfdts } from '../../support/origin/mp4.js';
import { readTemplates } from '../../support/origin/mpd.js';
import { writeSyntheticFixtures } from '../../support/origin/synthetic.js';

const START = Date.UTC(2030, 0, 1);
const WINDOW = 3;
let clock = START;
let root: string;
let origin: Origin;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'origin-live-'));
  await writeSyntheticFixtures(root);
  origin = await startOrigin({ root, live: { windowSegments: WINDOW, startEpochMs: START, now: () => clock } });
});

after(async () => {
  await origin.close();
  await rm(root, { recursive: true, force: true });
});

async function text(p: string): Promise<string> {
  const res = await fetch(origin.url + p);
  assert.equal(res.status, 200, `${p}: ${res.status}`);
  return res.text();
}

function tag(playlist: string, name: string): number {
  const m = new RegExp(`^#${name}:(\\d+)$`, 'm').exec(playlist);
  assert.ok(m?.[1], `missing ${name}`);
  return Number(m[1]);
}

const uris = (playlist: string): string[] => playlist.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

void describe('live HLS', () => {
  void it('passes master playlists through, also under a client prefix', async () => {
    assert.equal(
      await text('/c/v1/live/hls-ts/master.m3u8'),
      await readFile(path.join(root, 'hls-ts/master.m3u8'), 'utf8'),
    );
    assert.equal(origin.meter.snapshot().byClient.v1?.requests, 1);
  });

  void it('serves a full sliding window at the start that advances with time', async () => {
    clock = START;
    const p0 = await text('/live/hls-ts/240p/index.m3u8');
    assert.equal(tag(p0, 'EXT-X-MEDIA-SEQUENCE'), 0);
    assert.equal(tag(p0, 'EXT-X-TARGETDURATION'), 2);
    assert.deepEqual(uris(p0), ['seg-00000.ts?live=0', 'seg-00001.ts?live=1', 'seg-00002.ts?live=2']);
    assert.doesNotMatch(p0, /ENDLIST|PLAYLIST-TYPE/);
    assert.equal(p0.match(/^#EXT-X-PROGRAM-DATE-TIME:/gm)?.length, WINDOW);
    assert.match(p0, new RegExp(`PROGRAM-DATE-TIME:${new Date(START - WINDOW * 2000).toISOString()}`));
    clock = START + 2100;
    assert.equal(tag(await text('/live/hls-ts/240p/index.m3u8'), 'EXT-X-MEDIA-SEQUENCE'), 1);
  });

  void it('marks the loop wrap with a discontinuity and counts the discontinuity sequence', async () => {
    clock = START + 6000; // newest = 5 = first segment of the second loop
    const p = await text('/live/hls-ts/240p/index.m3u8');
    assert.equal(tag(p, 'EXT-X-MEDIA-SEQUENCE'), 3);
    assert.equal(tag(p, 'EXT-X-DISCONTINUITY-SEQUENCE'), 0);
    assert.deepEqual(uris(p), ['seg-00003.ts?live=3', 'seg-00004.ts?live=4', 'seg-00000.ts?live=5']);
    assert.match(p, /#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:[^\n]+\n#EXTINF:2.000,\nseg-00000.ts\?live=5/);
    clock = START + 20000; // window 10..12, starts exactly on the third loop
    const later = await text('/live/hls-ts/240p/index.m3u8');
    assert.equal(tag(later, 'EXT-X-DISCONTINUITY-SEQUENCE'), 2);
    assert.doesNotMatch(later, /#EXT-X-DISCONTINUITY\n/);
  });

  void it('serves the VOD bytes for a live segment URI', async () => {
    const live = await (await fetch(`${origin.url}/live/hls-ts/240p/seg-00000.ts?live=5`)).arrayBuffer();
    assert.deepEqual(Buffer.from(live), await readFile(path.join(root, 'hls-ts/240p/seg-00000.ts')));
  });

  void it('repeats EXT-X-MAP after a wrap of VOD files', () => {
    const vod = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:2,\na.m4s\n#EXTINF:2,\nb.m4s\n';
    const p = livePlaylist(vod, liveTimeline({ windowSegments: 3, startEpochMs: START, now: () => START + 2000 }, 0));
    assert.deepEqual(uris(p), ['b.m4s?live=1', 'a.m4s?live=2', 'b.m4s?live=3']);
    assert.equal(p.match(/^#EXT-X-MAP:URI="init.mp4"$/gm)?.length, 2);
  });

  void it("names fMP4 segments by live DASH's numbers, served with live DASH's bytes (one folder, one URL, one byte string)", async () => {
    clock = START + 6000; // newest index 5: the first segment of the second loop of 5
    const p = await text('/live/cmaf/v0/index.m3u8');
    assert.equal(tag(p, 'EXT-X-MEDIA-SEQUENCE'), 3);
    assert.deepEqual(uris(p), ['seg-4.m4s', 'seg-5.m4s', 'seg-6.m4s']);
    // The patched timestamps run on across the loop: no discontinuity, one map.
    assert.equal(tag(p, 'EXT-X-DISCONTINUITY-SEQUENCE'), 0);
    assert.doesNotMatch(p, /#EXT-X-DISCONTINUITY\n/);
    assert.equal(p.match(/^#EXT-X-MAP:URI="init.mp4"$/gm)?.length, 1);
    // Number 6 → index 5 → loop 1, VOD file 1, its tfdt one 10 s loop later (video 90 kHz, audio 48 kHz).
    const looped = await segment('/live/cmaf/v0/seg-6.m4s');
    const vod = await readFile(path.join(root, 'cmaf/v0/seg-1.m4s'));
    assert.deepEqual(
      readTfdts(looped).map((t) => t.time),
      readTfdts(vod).map((t, i) => t.time + [900000n, 480000n][i]!),
    );
  });

  void it("lists every live fMP4 segment in the folder's hash list with the digest of the bytes served, loop after loop", async () => {
    // Live HLS and DASH share cmaf/ and its one list: a segment a player of either is sent must be listed as sent.
    for (const ms of [0, 6000, 60_000]) {
      clock = START + ms;
      const list = JSON.parse(await text('/live/cmaf/segments-sha256.json')) as Record<string, string>;
      for (const uri of uris(await text('/live/cmaf/v0/index.m3u8'))) {
        const served = await segment(`/live/cmaf/v0/${uri}`);
        const key = `v0/${uri.replace(/\?.*$/, '')}`;
        assert.equal(list[key], createHash('sha256').update(served).digest('hex'), `${key} at +${ms} ms`);
      }
    }
  });

  void it('keeps byte ranges with explicit offsets and the same URI', async () => {
    clock = START + 2000; // window 1..3 of a 3-segment playlist: wraps at 3
    const p = await text('/live/single/v0.m3u8');
    assert.deepEqual(uris(p), ['v0.mp4', 'v0.mp4', 'v0.mp4']);
    assert.deepEqual(p.match(/^#EXT-X-BYTERANGE:.*$/gm), [
      '#EXT-X-BYTERANGE:1000@2000',
      '#EXT-X-BYTERANGE:1000@3000',
      '#EXT-X-BYTERANGE:1000@1000',
    ]);
    assert.match(p, /#EXT-X-MAP:URI="v0.mp4",BYTERANGE="1000@0"/);
  });

  void it('gives audio on the AAC frame grid the same timeline as 2 s video, dropping a tiny tail segment', () => {
    const durations = [1.984, 2.005333, 2.005333, 1.984, 2.005333, 0.04];
    const vod = `#EXTM3U\n#EXT-X-TARGETDURATION:2\n${durations.map((d, i) => `#EXTINF:${d},\na${i}.m4s\n`).join('')}`;
    const at = (ms: number): string =>
      livePlaylist(vod, liveTimeline({ windowSegments: 3, startEpochMs: START, now: () => START + ms }, 0));
    const p = at(3_600_000); // an hour in: 1800 segments of 2 s
    assert.equal(tag(p, 'EXT-X-MEDIA-SEQUENCE'), 1800);
    assert.equal(tag(p, 'EXT-X-DISCONTINUITY-SEQUENCE'), 360);
    assert.doesNotMatch(at(10_000), /a5\.m4s/);
  });

  void it('advances in real time with a short segment duration', async () => {
    const o = await startOrigin({ root, live: { segmentDurationSec: 0.4 } });
    try {
      const read = async (): Promise<number> =>
        tag(await (await fetch(`${o.url}/live/hls-ts/240p/index.m3u8`)).text(), 'EXT-X-MEDIA-SEQUENCE');
      const first = await read();
      await sleep(1000);
      assert.ok((await read()) >= first + 2);
    } finally {
      await o.close();
    }
  });
});

void describe('live DASH', () => {
  void it('rewrites the MPD as a dynamic presentation', async () => {
    clock = START + 1000;
    const mpd = await text('/c/d1/live/cmaf/manifest.mpd');
    const mpdTag = /<MPD\b[^>]*>/.exec(mpd)?.[0] ?? '';
    assert.match(mpdTag, /type="dynamic"/);
    assert.match(mpdTag, new RegExp(`availabilityStartTime="${new Date(START - WINDOW * 2000).toISOString()}"`));
    assert.match(mpdTag, new RegExp(`publishTime="${new Date(clock).toISOString()}"`));
    assert.match(mpdTag, /minimumUpdatePeriod="PT2S"/);
    assert.match(mpdTag, /timeShiftBufferDepth="PT6S"/);
    assert.match(mpdTag, /suggestedPresentationDelay="PT\d+S"/);
    assert.doesNotMatch(mpd, /mediaPresentationDuration|<Period[^>]*duration=/);
    assert.match(mpd, /<SegmentTemplate [^>]*startNumber="1"[^>]*duration="2000"/);
    assert.match(mpd, /<UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014"/);
  });

  void it('makes numbers available in real time and 404s future ones', async () => {
    clock = START;
    assert.equal((await fetch(`${origin.url}/live/cmaf/v0/seg-3.m4s`).then(drain)).status, 200);
    assert.equal((await fetch(`${origin.url}/live/cmaf/v0/seg-4.m4s`).then(drain)).status, 404);
    clock = START + 2000;
    assert.equal((await fetch(`${origin.url}/live/cmaf/v0/seg-4.m4s`).then(drain)).status, 200);
  });

  void it('patches tfdt by whole loops so the timeline stays continuous', async () => {
    clock = START + 60_000;
    const first = readTfdts(await segment('/live/cmaf/v0/seg-2.m4s'));
    assert.deepEqual(
      first.map((t) => t.time),
      [180000n, 96000n],
    );
    // Number 8 → index 7 → loop 1, VOD number 3; one loop = 5 × 2 s.
    const looped = readTfdts(await segment('/live/cmaf/v0/seg-8.m4s'));
    assert.deepEqual(
      looped.map((t) => t.time),
      [360000n + 900000n, 192000n + 480000n],
    );
    assert.equal(
      (await segment('/live/cmaf/v0/seg-8.m4s')).length,
      (await readFile(path.join(root, 'cmaf/v0/seg-3.m4s'))).length,
    );
  });

  void it("serves a hash list of the window only, digests of the bytes as served (a live packager's folder)", async () => {
    clock = START + 60_000;
    const list = JSON.parse(await text('/live/cmaf/segments-sha256.json')) as Record<string, string>;
    const numbers = Object.keys(list)
      .map((k) => /^v0\/seg-(\d+)\.m4s$/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const newest = numbers.at(-1)!;
    assert.equal((await fetch(`${origin.url}/live/cmaf/v0/seg-${newest}.m4s`).then(drain)).status, 200);
    assert.equal((await fetch(`${origin.url}/live/cmaf/v0/seg-${newest + 1}.m4s`).then(drain)).status, 404);
    // The window and two behind it, nothing of the VOD numbering (1–5) the looped files come from.
    assert.deepEqual(
      numbers,
      Array.from({ length: numbers.length }, (_, i) => newest - numbers.length + 1 + i),
    );
    assert.ok(numbers.length <= WINDOW + 3, `${numbers.length} media entries for v0`);
    const served = await segment(`/live/cmaf/v0/seg-${newest}.m4s`);
    assert.equal(list[`v0/seg-${newest}.m4s`], createHash('sha256').update(served).digest('hex'));
  });

  void it('replaces a SegmentTimeline by a fixed duration, whatever the attribute order', () => {
    const vod =
      '<MPD mediaPresentationDuration="PT12.0S" type="static" xmlns="urn:mpeg:dash:schema:mpd:2011">' +
      '<Period start="PT0S" duration="PT12S"><AdaptationSet>' +
      '<Representation bandwidth="5" id="a"><SegmentTemplate startNumber="0" timescale="48000" ' +
      'initialization="init-$RepresentationID$.m4s" media="chunk-$RepresentationID$-$Number%05d$.m4s">' +
      '<SegmentTimeline><S t="0" d="92160"/><S d="96256" r="4"/><S d="2048"/></SegmentTimeline>' +
      '</SegmentTemplate></Representation></AdaptationSet></Period></MPD>';
    const t = readTemplates(vod)[0]!;
    assert.equal(t.durationTicks, 96256);
    assert.equal(t.count, 6, 'the tail segment is not looped');
    const live = liveMpd(vod, liveTimeline({ windowSegments: 4, startEpochMs: START, now: () => START }, 0));
    assert.doesNotMatch(live, /SegmentTimeline|mediaPresentationDuration|type="static"|duration="PT12S"/);
    assert.match(live, /<SegmentTemplate startNumber="0" timescale="48000"[^>]*duration="96256"\/>/);
  });

  void it('refuses SegmentBase MPDs for live with a clear message', async () => {
    const res = await fetch(`${origin.url}/live/single/manifest.mpd`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /SegmentBase/);
  });
});

async function drain(res: Response): Promise<Response> {
  await res.arrayBuffer();
  return res;
}

async function segment(p: string): Promise<Buffer> {
  const res = await fetch(origin.url + p);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'video/iso.segment');
  return Buffer.from(await res.arrayBuffer());
}
