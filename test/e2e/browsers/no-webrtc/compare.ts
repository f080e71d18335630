/**
 * The no-WebRTC e2e's checks on what one page reported and on what the origin's byte meter saw of the two pages
 * of a case: the player alone and the player with swarmcast.
 */
import assert from 'node:assert/strict';
import type { MeterEntry } from '../../../support/origin/meter.js';
import type { NoWebrtcReport } from './page.js';

export const P2P_OFF = 'P2P unavailable, HTTP only';

const isPlaylist = (p: string): boolean => /\.(m3u8|mpd)$/.test(p);

export interface MeterSplit {
  media: Record<string, MeterEntry>;
  playlists: string[];
  mediaBytes: number;
}

export function splitPaths(paths: Record<string, MeterEntry>): MeterSplit {
  const media: Record<string, MeterEntry> = {};
  let mediaBytes = 0;
  for (const [p, e] of Object.entries(paths)) {
    if (isPlaylist(p)) continue;
    media[p] = e;
    mediaBytes += e.bytes;
  }
  return { media, playlists: Object.keys(paths).filter(isPlaylist).sort(), mediaBytes };
}

/** One frame at 25 fps. */
const FRAME_MS = 40;

/** Both pages: played, no error, no stall, no WebRTC on the page, no WebSocket opened. */
export function assertPlayedClean(r: NoWebrtcReport, minPlayedSec: number): void {
  assert.equal(r.hasRTCPeerConnection, false, `${r.label}: the page has RTCPeerConnection`);
  assert.equal(r.started, true, `${r.label}: the player was never started`);
  assert.deepEqual(r.errors, [], `${r.label}: errors`);
  assert.equal(r.playback.error, undefined, `${r.label}: media error`);
  // A `waiting` answered by `playing` within one frame shows nothing: Chromium fires such with seconds buffered, for
  // the player alone as for the player with swarmcast, when the machine is loaded.
  const visible = r.playback.stalls.filter((s) => s.durationMs >= FRAME_MS);
  assert.deepEqual(visible, [], `${r.label}: stalls ${JSON.stringify(r.playback.stalls)}`);
  assert.ok(r.playback.playedSec >= minPlayedSec, `${r.label}: played ${r.playback.playedSec} s < ${minPlayedSec} s`);
  assert.equal(r.socketsCreated, 0, `${r.label}: the page opened a WebSocket`);
}

/** The page with swarmcast: P2P reported off once, as a warning and in the stats, and no P2P byte. */
export function assertP2POff(r: NoWebrtcReport): void {
  const off = r.warnings.filter((w) => w.includes(P2P_OFF));
  assert.equal(off.length, 1, `${r.label}: expected one "P2P unavailable" warning, got ${JSON.stringify(r.warnings)}`);
  assert.equal(r.p2pAvailable, false, `${r.label}: stats say P2P is available (${String(r.p2pAvailable)})`);
  assert.equal(r.p2pBytes, 0, `${r.label}: P2P bytes`);
}

/** Media files per folder (one folder per track: `v240/`, `audio/`). */
const track = (file: string): string => file.slice(0, file.lastIndexOf('/'));

/**
 * The origin served the page with swarmcast what it served the player alone. VOD: every request, playlists
 * included. Live: the same playlists, and for every media file both fetched, no more requests or bytes with
 * swarmcast (Shaka fetches a live stream's first segments twice, once to read their timestamps, and swarmcast's
 * store answers the second). Each page is closed at the same instant of the live clock, but a player sees a new
 * segment only at its next playlist or manifest reload, on its own timer: at most the newest file of each track
 * may be fetched by one page and not yet by the other, so one file per track is allowed to differ.
 */
export function assertSameOrigin(
  label: string,
  plain: Record<string, MeterEntry>,
  p2p: Record<string, MeterEntry>,
  live: boolean,
): void {
  const a = splitPaths(plain);
  const b = splitPaths(p2p);
  assert.ok(Object.keys(a.media).length >= (live ? 3 : 20), `${label}: the player alone fetched too little to compare`);
  assert.deepEqual(b.playlists, a.playlists, `${label}: other playlists than the player alone`);
  if (!live) {
    assert.deepEqual(p2p, plain, `${label}: origin requests differ from the player alone`);
    return;
  }
  const common = Object.keys(a.media).filter((f) => f in b.media);
  assert.ok(common.length >= 3, `${label}: fewer than 3 media files fetched by both`);
  for (const [only, other] of [
    [Object.keys(a.media).filter((f) => !(f in b.media)), 'with swarmcast'],
    [Object.keys(b.media).filter((f) => !(f in a.media)), 'by the player alone'],
  ] as const) {
    const tracks = only.map(track);
    assert.equal(
      new Set(tracks).size,
      tracks.length,
      `${label}: more than one file of a track not fetched ${other}: ${JSON.stringify(only)}`,
    );
  }
  for (const file of common) {
    const mine = b.media[file];
    const alone = a.media[file];
    assert.ok(
      mine && alone && mine.bytes <= alone.bytes && mine.requests <= alone.requests,
      `${label}: ${file}: ${JSON.stringify(mine)} with swarmcast, ${JSON.stringify(alone)} alone`,
    );
  }
}
