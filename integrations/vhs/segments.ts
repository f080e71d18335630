/**
 * VHS playlists → engine descriptions. Identities come only from what every engine reads the same way in the
 * manifest (declared attributes, media sequence, duration sums, byte ranges) so hls.js, VHS and Shaka viewers of
 * one stream share swarms and segment ids (same rules as integrations/hlsjs/segments.ts).
 */
import {
  hlsLiveSegmentId,
  initSegmentId,
  vodSegmentId,
  type ByteRange,
  type RenditionAttributes,
  type SegmentDescriptor,
} from '../../core/index.js';
import type { VhsByteRange, VhsMediaGroupEntry, VhsPlaylist, VhsSegment } from './types.js';

/**
 * Video / muxed rendition: declared BANDWIDTH, RESOLUTION and CODECS, exactly as hls.js's `levelRendition`
 * builds them (VHS parses the same attributes, DASH's @bandwidth/@width/@height/@codecs land in the same place).
 */
export function playlistRendition(playlist: VhsPlaylist): RenditionAttributes {
  const a = playlist.attributes ?? {};
  const out: RenditionAttributes = {};
  if (typeof a.BANDWIDTH === 'number' && Number.isFinite(a.BANDWIDTH) && a.BANDWIDTH > 0) out.bandwidth = a.BANDWIDTH;
  const w = a.RESOLUTION?.width;
  const h = a.RESOLUTION?.height;
  if ((w ?? 0) > 0 || (h ?? 0) > 0) {
    out.width = w ?? 0;
    out.height = h ?? 0;
  }
  if (a.CODECS) out.codecs = a.CODECS;
  // A lone media playlist has no attributes; the content id already identifies it (hls.js does the same).
  if (out.bandwidth === undefined && out.width === undefined && !out.codecs) out.name = 'default';
  return out;
}

/** Alternate audio: language and NAME (what hls.js's `audioRendition` uses). */
export function audioGroupRendition(name: string, entry: VhsMediaGroupEntry): RenditionAttributes {
  const out: RenditionAttributes = { name };
  if (entry.language) out.language = entry.language;
  return out;
}

/** VHS `{offset, length}` → engine `{start, end}` (end exclusive); bigint ranges (> 2^53) are not served. */
export function toRange(r: VhsByteRange | undefined): ByteRange | undefined {
  if (!r || typeof r.offset !== 'number' || typeof r.length !== 'number' || r.length <= 0) return undefined;
  return { start: r.offset, end: r.offset + r.length };
}

/** The Range header VHS sends (`bytes=a-b`, inclusive) → `{start, end}` (end exclusive). */
export function rangeFromHeader(header: string | undefined): ByteRange | undefined {
  const m = header ? /^bytes=(\d+)-(\d+)$/.exec(header.trim()) : null;
  return m ? { start: Number(m[1]), end: Number(m[2]) + 1 } : undefined;
}

/** Lookup key for a request: URL without fragment plus byte range. */
export function requestKey(url: string, range: ByteRange | undefined): string {
  const u = url.replace(/#.*$/, '');
  return range ? `${u}|${range.start}-${range.end}` : u;
}

export interface DescribedList {
  segments: SegmentDescriptor[];
  /** requestKey → segment id. */
  keys: Map<string, string>;
  live: boolean;
}

/**
 * Segments of one playlist. HLS live: media sequence numbers. DASH live: the segment's presentation time (what
 * Shaka identifies DASH segments by). VOD: start time summed from durations, plus the byte range.
 */
export function describePlaylist(
  playlist: VhsPlaylist,
  isDash: boolean,
  /** HLS live: media sequence → start on the player's timeline, kept across reloads (see liveWindowStart). */
  timeline = new Map<number, number>(),
): DescribedList {
  const segments: SegmentDescriptor[] = [];
  const keys = new Map<string, string>();
  const inits = new Set<string>();
  // HLS leaves endList unset until #EXT-X-ENDLIST; mpd-parser sets it from MPD@type.
  const live = playlist.endList !== true;
  const seq0 = playlist.mediaSequence ?? 0;
  const list = playlist.segments ?? [];
  let sumSec = live && !isDash ? liveWindowStart(list, seq0, timeline) : 0;
  for (const [i, seg] of list.entries()) {
    const url = seg.resolvedUri;
    const startSec = live && isDash && typeof seg.presentationTime === 'number' ? seg.presentationTime : sumSec;
    if (live && !isDash) timeline.set(seq0 + i, startSec);
    sumSec += seg.duration;
    if (!url) continue;
    const initUrl = seg.map?.resolvedUri;
    if (initUrl) {
      const initRange = toRange(seg.map?.byterange);
      const initId = initSegmentId(initUrl, initRange);
      if (!inits.has(initId)) {
        inits.add(initId);
        keys.set(requestKey(initUrl, initRange), initId);
        segments.push({ id: initId, url: initUrl, startSec, durationSec: 0, isInit: true, ...withRange(initRange) });
      }
    }
    const range = toRange(seg.byterange);
    const id = live && !isDash ? hlsLiveSegmentId(seq0 + i) : vodSegmentId(startSec, range);
    keys.set(requestKey(url, range), id);
    segments.push({ id, url, startSec, durationSec: seg.duration, ...withRange(range) });
  }
  return { segments, keys, live };
}

/**
 * Start of an HLS live window on the player's timeline. VHS puts the first segment of the first playlist it
 * loads at 0 and carries later windows on by media sequence; the engine schedules by distance from the
 * playhead, so live starts must be on that same timeline, not restart at 0 on every reload.
 */
function liveWindowStart(list: VhsSegment[], seq0: number, timeline: Map<number, number>): number {
  let before = 0;
  for (const [i, seg] of list.entries()) {
    const known = timeline.get(seq0 + i);
    if (known !== undefined) return known - before;
    before += seg.duration;
  }
  return timeline.size === 0 ? 0 : Math.max(...timeline.values());
}

function withRange(r: ByteRange | undefined): { byteRange?: ByteRange } {
  return r ? { byteRange: r } : {};
}
