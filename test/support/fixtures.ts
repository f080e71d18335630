// Typed catalogue of the committed media fixtures in test/fixtures (made by `npm run fixtures`, see
// test/fixtures/README.md). Browser-safe: no Node imports, so browser tests may import it too.
// The figures below are what the manifests advertise; test/node/fixtures/fixtures.test.ts checks them against the
// files on disk, so after regenerating the fixtures update them from the summary line make.sh prints.

export type FixtureId = 'hls-ts' | 'hls-fmp4' | 'hls-byterange' | 'dash-template' | 'dash-segmentbase';

export interface FixtureRendition {
  /** Variant / Representation id; also its folder (hls-ts, cmaf) or file stem (single) */
  id: string;
  width: number;
  height: number;
  /** Bits/s as advertised: HLS BANDWIDTH (peak, audio included) or DASH @bandwidth (this stream only) */
  bandwidth: number;
  /** RFC 6381, as in CODECS / @codecs */
  codecs: string;
}

export interface FixtureAudio {
  id: string;
  bandwidth: number;
  codecs: string;
  language: string;
  channels: number;
  sampleRate: number;
}

export interface Fixture {
  id: FixtureId;
  protocol: 'hls' | 'dash';
  /** Manifest path relative to test/fixtures, e.g. 'hls-ts/master.m3u8' */
  path: string;
  /** 'files': one file per segment; 'byterange': one file per rendition, segments are byte ranges of it */
  addressing: 'files' | 'byterange';
  /** Video renditions, lowest first (muxed A/V renditions for hls-ts) */
  renditions: FixtureRendition[];
  /** The separate audio rendition when audioSeparate */
  audio: FixtureAudio | undefined;
  segmentDurationSec: number;
  /** Media segments per rendition (the audio rendition has the same count) */
  segmentCount: number;
  durationSec: number;
  audioSeparate: boolean;
  /** Number in the name of the first segment file (seg-00000.ts, seg-00001.m4s); byterange fixtures: 0 */
  firstSegmentNumber: number;
}

export const SEGMENT_DURATION_SEC = 2;
export const DURATION_SEC = 60;
export const SEGMENT_COUNT = DURATION_SEC / SEGMENT_DURATION_SEC;
export const FRAME_RATE = 25;
/** Limit on the total size of test/fixtures */
export const FIXTURES_MAX_BYTES = 8_000_000;

const AVC = 'avc1.4d401e'; // H.264 Main, level 3.0
const AAC = 'mp4a.40.2'; // AAC-LC

const SIZES = [
  { w: 426, h: 240 },
  { w: 640, h: 360 },
  { w: 854, h: 480 },
] as const;

function video(ids: readonly string[], bandwidths: readonly number[], codecs: string): FixtureRendition[] {
  return SIZES.map(({ w, h }, i) => ({
    id: ids[i] ?? '',
    width: w,
    height: h,
    bandwidth: bandwidths[i] ?? 0,
    codecs,
  }));
}

const CMAF_IDS = ['v240', 'v360', 'v480'];
const audio = (bandwidth: number): FixtureAudio => ({
  id: 'audio',
  bandwidth,
  codecs: AAC,
  language: 'en',
  channels: 2,
  sampleRate: 48000,
});
const common = {
  segmentDurationSec: SEGMENT_DURATION_SEC,
  segmentCount: SEGMENT_COUNT,
  durationSec: DURATION_SEC,
};
// HLS BANDWIDTH of the fMP4 variants (video peak + audio peak) and DASH @bandwidth of each stream.
const HLS_FMP4_BANDWIDTHS = [59562, 92622, 146174];
const DASH_VIDEO_BANDWIDTHS = [32928, 65988, 119540];
const DASH_AUDIO_BANDWIDTH = 26634;
// HLS BANDWIDTH of the MPEG-TS variants (muxed audio included).
const HLS_TS_BANDWIDTHS = [84976, 130848, 175968];

export const FIXTURES: Record<FixtureId, Fixture> = {
  'hls-ts': {
    ...common,
    id: 'hls-ts',
    protocol: 'hls',
    path: 'hls-ts/master.m3u8',
    addressing: 'files',
    renditions: video(['240p', '360p', '480p'], HLS_TS_BANDWIDTHS, `${AVC},${AAC}`),
    audio: undefined,
    audioSeparate: false,
    firstSegmentNumber: 0,
  },
  'hls-fmp4': {
    ...common,
    id: 'hls-fmp4',
    protocol: 'hls',
    path: 'cmaf/master.m3u8',
    addressing: 'files',
    renditions: video(CMAF_IDS, HLS_FMP4_BANDWIDTHS, `${AVC},${AAC}`),
    audio: audio(DASH_AUDIO_BANDWIDTH),
    audioSeparate: true,
    firstSegmentNumber: 1,
  },
  'hls-byterange': {
    ...common,
    id: 'hls-byterange',
    protocol: 'hls',
    path: 'single/master.m3u8',
    addressing: 'byterange',
    renditions: video(CMAF_IDS, HLS_FMP4_BANDWIDTHS, `${AVC},${AAC}`),
    audio: audio(DASH_AUDIO_BANDWIDTH),
    audioSeparate: true,
    firstSegmentNumber: 0,
  },
  'dash-template': {
    ...common,
    id: 'dash-template',
    protocol: 'dash',
    path: 'cmaf/manifest.mpd',
    addressing: 'files',
    renditions: video(CMAF_IDS, DASH_VIDEO_BANDWIDTHS, AVC),
    audio: audio(DASH_AUDIO_BANDWIDTH),
    audioSeparate: true,
    firstSegmentNumber: 1,
  },
  'dash-segmentbase': {
    ...common,
    id: 'dash-segmentbase',
    protocol: 'dash',
    path: 'single/manifest.mpd',
    addressing: 'byterange',
    renditions: video(CMAF_IDS, DASH_VIDEO_BANDWIDTHS, AVC),
    audio: audio(DASH_AUDIO_BANDWIDTH),
    audioSeparate: true,
    firstSegmentNumber: 0,
  },
};

export const FIXTURE_IDS = Object.keys(FIXTURES) as FixtureId[];

/** Absolute path of test/fixtures (with a trailing slash). Meaningful in Node only. */
export const FIXTURES_DIR: string = decodeURIComponent(new URL('../fixtures/', import.meta.url).pathname);

/** URL of a fixture's manifest on an origin that serves test/fixtures at its root. */
export function fixtureUrl(originUrl: string, id: FixtureId): string {
  return `${originUrl.replace(/\/+$/, '')}/${FIXTURES[id].path}`;
}

/** Folder of a fixture's manifest relative to test/fixtures ('cmaf'), media paths are relative to it. */
export function fixtureFolder(id: FixtureId): string {
  return FIXTURES[id].path.split('/').slice(0, -1).join('/');
}

/** Every stream of a fixture: the video (or muxed) renditions, then the separate audio if any. */
export function fixtureStreamIds(id: FixtureId): string[] {
  const f = FIXTURES[id];
  return [...f.renditions.map((r) => r.id), ...(f.audio ? [f.audio.id] : [])];
}

/**
 * Media files of one stream relative to test/fixtures, in playback order: for 'files' fixtures the init segment
 * (fMP4 only) followed by the segments; for 'byterange' fixtures the single file.
 */
export function fixtureStreamFiles(id: FixtureId, streamId: string): string[] {
  const f = FIXTURES[id];
  const folder = fixtureFolder(id);
  if (f.addressing === 'byterange') return [`${folder}/${streamId}.mp4`];
  const ext = id === 'hls-ts' ? 'ts' : 'm4s';
  const segments = Array.from({ length: f.segmentCount }, (_, i) => {
    const n = String(i + f.firstSegmentNumber).padStart(5, '0');
    return `${folder}/${streamId}/seg-${n}.${ext}`;
  });
  return id === 'hls-ts' ? segments : [`${folder}/${streamId}/init.mp4`, ...segments];
}

/** Every media file of a fixture (all streams), relative to test/fixtures. */
export function fixtureMediaFiles(id: FixtureId): string[] {
  return fixtureStreamIds(id).flatMap((s) => fixtureStreamFiles(id, s));
}

/** Media playlist of one stream relative to test/fixtures (HLS fixtures only). */
export function fixtureMediaPlaylist(id: FixtureId, streamId: string): string {
  const f = FIXTURES[id];
  if (f.protocol !== 'hls') throw new Error(`${id} is not an HLS fixture`);
  const folder = fixtureFolder(id);
  return f.addressing === 'byterange' ? `${folder}/${streamId}.m3u8` : `${folder}/${streamId}/index.m3u8`;
}
