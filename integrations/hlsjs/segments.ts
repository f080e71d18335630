/**
 * hls.js playlists → engine descriptions. Identities come only from what every engine reads the same way in the
 * manifest (declared attributes, media sequence, EXTINF sums, byte ranges), never from hls.js's indices or its
 * PTS-corrected start times, so hls.js, VHS and Shaka viewers of one stream share swarms and segment ids.
 */
import type { Fragment, Level, LevelDetails, MediaPlaylist } from 'hls.js';
import {
  hlsLiveSegmentId,
  initSegmentId,
  vodSegmentId,
  type ByteRange,
  type RenditionAttributes,
  type SegmentDescriptor,
} from '../../core/index.js';

/** Video / muxed rendition: declared BANDWIDTH, RESOLUTION and CODECS (what the multivariant playlist says). */
export function levelRendition(level: Level): RenditionAttributes {
  const attrs = level.attrs as Record<string, string | undefined>;
  const out: RenditionAttributes = {};
  const bandwidth = Number(attrs.BANDWIDTH ?? level.bitrate);
  if (Number.isFinite(bandwidth) && bandwidth > 0) out.bandwidth = bandwidth;
  const resolution = /^(\d+)x(\d+)$/.exec(attrs.RESOLUTION ?? '');
  if (resolution) {
    out.width = Number(resolution[1]);
    out.height = Number(resolution[2]);
  } else if (level.width > 0 || level.height > 0) {
    out.width = level.width;
    out.height = level.height;
  }
  const codecs = attrs.CODECS ?? [level.videoCodec, level.audioCodec].filter(Boolean).join(',');
  if (codecs) out.codecs = codecs;
  // A lone media playlist has no attributes at all; the content id (its URL or swarmId) already identifies it.
  if (out.bandwidth === undefined && out.width === undefined && !out.codecs) out.name = 'default';
  return out;
}

/** Alternate audio: language and NAME (EXT-X-MEDIA carries no bandwidth or codecs). */
export function audioRendition(track: MediaPlaylist): RenditionAttributes {
  const attrs = track.attrs as Record<string, string | undefined>;
  const out: RenditionAttributes = { name: attrs.NAME ?? track.name };
  const language = attrs.LANGUAGE ?? track.lang;
  if (language) out.language = language;
  return out;
}

export function stripQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

function rangeOf(segment: Fragment): ByteRange | undefined {
  const [start, end] = segment.byteRange;
  return start !== undefined && end !== undefined && end > start ? { start, end } : undefined;
}

/** Lookup key for a fragment request: URL plus byte range (single-file renditions differ only by range). */
export function requestKey(url: string, range: ByteRange | undefined): string {
  return range ? `${url}|${range.start}-${range.end}` : url;
}

export function fragmentKey(frag: Fragment): string {
  return requestKey(frag.url, rangeOf(frag));
}

export interface DescribedList {
  segments: SegmentDescriptor[];
  /** requestKey → segment id, for the fragment loader. */
  keys: Map<string, string>;
}

/**
 * Segments of one playlist. Live ids use the media sequence number; VOD ids use the start time summed from
 * EXTINF (hls.js later rewrites `frag.start` from PTS, which other engines never see) plus the byte range.
 */
export function describePlaylist(details: LevelDetails): DescribedList {
  const segments: SegmentDescriptor[] = [];
  const keys = new Map<string, string>();
  const inits = new Set<string>();
  let vodStartSec = 0;
  for (const frag of details.fragments) {
    // Skip delta-update placeholders (no URI yet); they are described on a later reload.
    if (typeof frag.sn !== 'number' || !frag.url) continue;
    const byteRange = rangeOf(frag);
    const startSec = details.live ? frag.start : vodStartSec;
    vodStartSec += frag.duration;
    const init = frag.initSegment;
    if (init?.url) {
      const initRange = rangeOf(init);
      const initId = initSegmentId(init.url, initRange);
      if (!inits.has(initId)) {
        inits.add(initId);
        keys.set(requestKey(init.url, initRange), initId);
        segments.push({ id: initId, url: init.url, startSec, durationSec: 0, isInit: true, ...range(initRange) });
      }
    }
    const id = details.live ? hlsLiveSegmentId(frag.sn) : vodSegmentId(startSec, byteRange);
    keys.set(requestKey(frag.url, byteRange), id);
    segments.push({ id, url: frag.url, startSec, durationSec: frag.duration, ...range(byteRange) });
  }
  return { segments, keys };
}

function range(r: ByteRange | undefined): { byteRange?: ByteRange } {
  return r ? { byteRange: r } : {};
}
