/**
 * Tiny stand-in fixtures (5 × 2 s segments) in the same layout as test/fixtures, for the origin's own tests:
 * they must not depend on generated media, and small synthetic fMP4 boxes make tfdt checks exact.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { box } from './mp4.js';

export const SYNTH_SEGMENTS = 5;
export const SYNTH_SEGMENT_SEC = 2;
/** Track ids and mdhd timescales of the synthetic init segment. */
export const SYNTH_TRACKS = [
  { id: 1, timescale: 90000 },
  { id: 2, timescale: 48000 },
] as const;

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
}

export function syntheticInit(): Buffer {
  const traks = SYNTH_TRACKS.map((t) =>
    box(
      'trak',
      box('tkhd', u32(0x00000003, 0, 0, t.id, 0, 0), Buffer.alloc(60)),
      box('mdia', box('mdhd', u32(0, 0, 0, t.timescale, 0), Buffer.alloc(4))),
    ),
  );
  return Buffer.concat([box('ftyp', Buffer.from('iso6'), u32(0)), box('moov', ...traks)]);
}

/**
 * One moof+mdat; track 1 uses tfdt v0 (`times[0]`), track 2 tfdt v1. Each trun's data_offset points at that
 * track's 4 payload bytes in mdat (the tests check it still does after rewriting).
 */
export function syntheticSegment(times: readonly [bigint, bigint], payload: readonly [Buffer, Buffer]): Buffer {
  const build = (offsets: readonly [number, number]): Buffer =>
    box(
      'moof',
      box('mfhd', u32(0, 1)),
      box(
        'traf',
        box('tfhd', u32(0x020000, 1)),
        box('tfdt', u32(0), u32(Number(times[0]))),
        box('trun', u32(0x000001, 1, offsets[0])),
      ),
      box(
        'traf',
        box('tfhd', u32(0x020000, 2)),
        box('tfdt', u32(0x01000000), u64(times[1])),
        box('trun', u32(1, 1, offsets[1])),
      ),
    );
  const size = build([0, 0]).length;
  const moof = build([size + 8, size + 8 + payload[0].length]);
  return Buffer.concat([box('styp', Buffer.from('msdh'), u32(0)), moof, box('mdat', payload[0], payload[1])]);
}

function patterned(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

async function put(root: string, rel: string, data: string | Buffer): Promise<void> {
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
}

const MPD_HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" minBufferTime="PT2S" ';

/** Writes hls-ts/, cmaf/ (HLS fMP4 + DASH SegmentTemplate), single/ (byte ranges, SegmentBase) and big.bin. */
export async function writeSyntheticFixtures(root: string): Promise<void> {
  const n = SYNTH_SEGMENTS;
  const d = SYNTH_SEGMENT_SEC;
  const master = (uri: string): string =>
    `#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240\n${uri}\n`;
  const media = (lines: string[], map = ''): string =>
    `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:${d}\n#EXT-X-MEDIA-SEQUENCE:0\n` +
    `#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n${map}${lines.join('')}#EXT-X-ENDLIST\n`;

  await put(root, 'big.bin', patterned(200_000, 1));
  await put(root, 'page.html', '<!doctype html><title>x</title>');

  await put(root, 'hls-ts/master.m3u8', master('240p/index.m3u8'));
  const ts: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `seg-${String(i).padStart(5, '0')}.ts`;
    await put(root, `hls-ts/240p/${name}`, patterned(188 * (10 + i), i));
    ts.push(`#EXTINF:${d}.000,\n${name}\n`);
  }
  await put(root, 'hls-ts/240p/index.m3u8', media(ts));

  await put(root, 'cmaf/master.m3u8', master('v0/index.m3u8'));
  await put(root, 'cmaf/v0/init.mp4', syntheticInit());
  const fm: string[] = [];
  for (let i = 1; i <= n; i++) {
    const seg = syntheticSegment(
      [BigInt((i - 1) * d * 90000), BigInt((i - 1) * d * 48000)],
      [patterned(4, i), patterned(4, i + 100)],
    );
    await put(root, `cmaf/v0/seg-${i}.m4s`, seg);
    fm.push(`#EXTINF:${d}.000,\nseg-${i}.m4s\n`);
  }
  await put(root, 'cmaf/v0/index.m3u8', media(fm, '#EXT-X-MAP:URI="init.mp4"\n'));
  await put(
    root,
    'cmaf/manifest.mpd',
    `${MPD_HEAD}profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="PT${n * d}S">\n` +
      `  <Period id="p0" duration="PT${n * d}S">\n    <AdaptationSet mimeType="video/mp4" segmentAlignment="true">\n` +
      `      <SegmentTemplate media="$RepresentationID$/seg-$Number$.m4s" timescale="1000" ` +
      `initialization="$RepresentationID$/init.mp4" startNumber="1" duration="${d * 1000}"/>\n` +
      `      <Representation id="v0" bandwidth="300000" codecs="avc1.42c01e" width="426" height="240"/>\n` +
      `    </AdaptationSet>\n  </Period>\n</MPD>\n`,
  );

  await put(root, 'single/master.m3u8', master('v0.m3u8'));
  await put(root, 'single/v0.mp4', patterned(5000, 9));
  const ranges = ['#EXT-X-BYTERANGE:1000@1000\n', '#EXT-X-BYTERANGE:1000\n', '#EXT-X-BYTERANGE:1000\n'];
  const br = ranges.map((r) => `#EXTINF:${d}.000,\n${r}v0.mp4\n`);
  await put(root, 'single/v0.m3u8', media(br, '#EXT-X-MAP:URI="v0.mp4",BYTERANGE="1000@0"\n'));
  await put(
    root,
    'single/manifest.mpd',
    `${MPD_HEAD}profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static" mediaPresentationDuration="PT6S">\n` +
      `  <Period><AdaptationSet mimeType="video/mp4"><Representation id="v0" bandwidth="1">` +
      `<BaseURL>v0.mp4</BaseURL><SegmentBase indexRange="0-99"/></Representation></AdaptationSet></Period>\n</MPD>\n`,
  );
}
