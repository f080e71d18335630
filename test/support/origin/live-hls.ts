import type { LiveTimeline } from './live-clock.js';
import { newestSegment, timelineZeroMs } from './live-clock.js';

export interface VodSegment {
  /** Tags kept verbatim (EXTINF, …) in order. */
  tags: string[];
  /** `#EXT-X-BYTERANGE:n@o` with the offset made explicit, since a window may start anywhere. */
  byterange: string | undefined;
  /** The EXT-X-MAP line in effect for this segment. */
  map: string | undefined;
  uri: string;
  durationSec: number;
}

export interface VodPlaylist {
  header: string[];
  segments: VodSegment[];
}

const DROPPED_HEADER = /^#EXT-X-(PLAYLIST-TYPE|ENDLIST|MEDIA-SEQUENCE|DISCONTINUITY-SEQUENCE|ALLOW-CACHE)\b/;
const HEADER_ONLY = /^#EXT-X-(VERSION|TARGETDURATION|INDEPENDENT-SEGMENTS|START|SERVER-CONTROL|PART-INF)\b/;
const DROPPED_SEGMENT_TAG = /^#EXT-X-(PROGRAM-DATE-TIME|DISCONTINUITY|ENDLIST)\b/;

export function isMasterPlaylist(text: string): boolean {
  return !/^#EXTINF/m.test(text) && /^#EXT-X-STREAM-INF/m.test(text);
}

export function parseMediaPlaylist(text: string): VodPlaylist {
  const header: string[] = [];
  const segments: VodSegment[] = [];
  let pending: string[] = [];
  let byterange: string | undefined;
  let map: string | undefined;
  let duration = 0;
  let inSegments = false;
  const nextOffset = new Map<string, number>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#EXT-X-MAP')) {
        map = line;
      } else if (HEADER_ONLY.test(line)) {
        header.push(line);
      } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
        byterange = line.slice('#EXT-X-BYTERANGE:'.length);
        inSegments = true;
      } else if (line.startsWith('#EXTINF:')) {
        duration = Number.parseFloat(line.slice('#EXTINF:'.length));
        pending.push(line);
        inSegments = true;
      } else if (DROPPED_SEGMENT_TAG.test(line) || DROPPED_HEADER.test(line)) {
        continue;
      } else if (!inSegments && line !== '#EXTM3U') {
        header.push(line);
      } else if (inSegments) {
        pending.push(line);
      }
      continue;
    }
    let explicitRange: string | undefined;
    if (byterange !== undefined) {
      const [lenText = '0', offText] = byterange.split('@');
      const len = Number(lenText);
      const off = offText === undefined ? (nextOffset.get(line) ?? 0) : Number(offText);
      nextOffset.set(line, off + len);
      explicitRange = `#EXT-X-BYTERANGE:${len}@${off}`;
    }
    segments.push({ tags: pending, byterange: explicitRange, map, uri: line, durationSec: duration });
    pending = [];
    byterange = undefined;
  }
  return { header, segments };
}

function withQuery(uri: string, key: string, value: number): string {
  const hash = uri.indexOf('#');
  const base = hash < 0 ? uri : uri.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${key}=${value}${hash < 0 ? '' : uri.slice(hash)}`;
}

/** How a VOD media playlist loops: the segments played in turn and their nominal duration on the live timeline. */
export function loopShape(vod: VodPlaylist, timeline: LiveTimeline): { count: number; segDur: number } {
  const durations = vod.segments.map((s) => s.durationSec).sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)] ?? 0;
  if (!(median > 0)) throw new Error('media playlist has no segments with a duration');
  // A short tail segment (audio running a few ms past the video) is dropped so renditions loop in step.
  const total = durations.reduce((a, b) => a + b, 0);
  const count = Math.min(vod.segments.length, Math.max(1, Math.round(total / median)));
  // Mean rounded to 10 ms: audio segments on the AAC frame grid (1.984 s / 2.005 s) must get the same nominal
  // duration as the video, or the renditions' sequence numbers and wraps drift apart over time.
  const looped = vod.segments.slice(0, count).reduce((a, seg) => a + seg.durationSec, 0);
  const segDur = timeline.segmentDurationSec ?? Math.round((looped / count) * 100) / 100;
  return { count, segDur };
}

/**
 * Names sequence `s` of a live playlist whose bytes are those of a live DASH stream's media file (see
 * live-cmaf.ts): patched timestamps that run on across loops, so no discontinuity marks the wraps.
 */
export type LiveNaming = (sequence: number) => string;

/**
 * Turns a VOD media playlist into the sliding live window at `timeline.now()`. Sequence `s` plays VOD segment
 * `s mod count`; each wrap gets an EXT-X-DISCONTINUITY so `floor(s / count)` is every segment's discontinuity
 * sequence. URIs get `?live=<s>` so each sequence number has its own URL (byte-range segments keep theirs).
 * With `naming`, sequence `s` is the URI it gives instead, and wraps are continuous (no discontinuity).
 */
export function livePlaylist(vodText: string, timeline: LiveTimeline, naming?: LiveNaming): string {
  const vod = parseMediaPlaylist(vodText);
  const { count, segDur } = loopShape(vod, timeline);
  const newest = newestSegment(timeline, segDur);
  const first = Math.max(0, newest - timeline.windowSegments + 1);
  const zero = timelineZeroMs(timeline, segDur);

  const out = ['#EXTM3U', ...vod.header];
  out.push(`#EXT-X-MEDIA-SEQUENCE:${first}`);
  out.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${naming ? 0 : Math.floor(first / count)}`);
  let lastMap: string | undefined;
  for (let s = first; s <= newest; s++) {
    const seg = vod.segments[s % count];
    if (!seg) continue;
    const wrapped = naming === undefined && s > first && s % count === 0;
    if (wrapped) out.push('#EXT-X-DISCONTINUITY');
    // Repeat the map after a wrap: players may reset the init segment at a discontinuity.
    if (seg.map !== undefined && (seg.map !== lastMap || wrapped)) out.push(seg.map);
    lastMap = seg.map;
    out.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(zero + s * segDur * 1000).toISOString()}`);
    out.push(...seg.tags);
    if (seg.byterange !== undefined) out.push(seg.byterange, seg.uri);
    else out.push(naming ? naming(s) : withQuery(seg.uri, 'live', s));
  }
  return out.join('\n') + '\n';
}
