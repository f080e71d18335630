import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LiveTimeline } from './live-clock.js';
import { templatesOf, vodSegmentSeconds } from './live-dash.js';
import { loopShape, parseMediaPlaylist, type LiveNaming } from './live-hls.js';
import { fillTemplate, templateRegex, type DashTemplate } from './mpd.js';

/**
 * Live HLS over a live DASH stream's files, as a CMAF packager writes one folder for both: when the segments of an
 * HLS media playlist are, in order, the media files of a DASH SegmentTemplate (an MPD in the playlist's folder or
 * above), live sequence `s` is named by DASH number `s + startNumber` and served by the DASH simulator, with the
 * same patched timestamps. Without this, live HLS would loop the VOD files under their VOD names while live DASH
 * serves other bytes (shifted timestamps) under numbers past the VOD's: one folder, one hash list, and the HLS
 * copies of every loop after the first are in no list (or, in a window longer than a loop, under a name whose
 * listed bytes are DASH's). With DASH's numbering a URL is one byte string, whichever player asks.
 *
 * Undefined (the playlist keeps `?live=<s>` over the VOD files) when the files are not a template's in order, or
 * when the two would loop differently (segment count or nominal duration), which would put other bytes under a
 * sequence number than its EXTINF describes.
 */
export async function dashNaming(
  root: string,
  playlistRel: string,
  vodText: string,
  timeline: LiveTimeline,
): Promise<LiveNaming | undefined> {
  const vod = parseMediaPlaylist(vodText);
  if (vod.segments.length === 0 || vod.segments.some((s) => s.byterange !== undefined)) return undefined;
  const { count, segDur } = loopShape(vod, timeline);
  const playlistDir = path.posix.dirname(playlistRel.replace(/^\/+/, ''));
  const files = vod.segments
    .slice(0, count)
    .map((s) => path.posix.normalize(path.posix.join(playlistDir, s.uri.replace(/[?#].*$/, ''))));
  for (let dir = playlistDir; ; dir = path.posix.dirname(dir)) {
    const mpds = await readdir(path.join(root, dir)).then(
      (names) => names.filter((n) => n.endsWith('.mpd')),
      () => [] as string[],
    );
    for (const name of mpds) {
      const templates = await templatesOf(path.join(root, dir, name)).catch(() => [] as DashTemplate[]);
      if (templates.length === 0) continue;
      const dashSegDur = timeline.segmentDurationSec ?? vodSegmentSeconds(templates);
      for (const t of templates) {
        const media = templateRegex(path.posix.join(dir, fillTemplate(t.media, t)));
        const inOrder = files.every((f, k) => Number(media.exec(f)?.[1] ?? NaN) === k + t.startNumber);
        if (!inOrder) continue;
        if (t.count !== count || Math.abs(dashSegDur - segDur) > 1e-9) return undefined;
        return (s) =>
          path.posix.relative(playlistDir, path.posix.join(dir, fillTemplate(t.media, t, s + t.startNumber)));
      }
    }
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}
