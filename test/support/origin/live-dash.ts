import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LiveTimeline } from './live-clock.js';
import { isoDuration, newestSegment, timelineZeroMs } from './live-clock.js';
import { readTimescales, shiftTfdt } from './mp4.js';
import type { DashTemplate } from './mpd.js';
import { SEGMENT_TEMPLATE, attr, editTag, fillTemplate, readTemplates, templateRegex } from './mpd.js';

/** The VOD cannot be offered live; the message is sent to the client as-is. */
export class LiveRefused extends Error {}

export function vodSegmentSeconds(templates: DashTemplate[]): number {
  const t = templates[0];
  if (!t || !(t.durationTicks > 0)) throw new LiveRefused('live DASH needs a SegmentTemplate with a duration');
  return t.durationTicks / t.timescale;
}

/**
 * VOD MPD → dynamic MPD on the shared live timeline. `startNumber` is kept so the number a player computes from
 * availabilityStartTime is `startNumber + index`, the same index as the HLS media sequence. SegmentTimeline is
 * replaced by a fixed `duration`, because a timeline would have to be regenerated on every update.
 */
export function liveMpd(vod: string, timeline: LiveTimeline): string {
  if (/<(SegmentBase|SegmentList)\b/.test(vod)) {
    throw new LiveRefused('live DASH is only simulated for SegmentTemplate MPDs, not SegmentBase/SegmentList');
  }
  const templates = readTemplates(vod);
  if (templates.length === 0 || templates.some((t) => !/\$Number(%0\d+d)?\$/.test(t.media))) {
    throw new LiveRefused('live DASH needs SegmentTemplate media with $Number$');
  }
  const segDur = timeline.segmentDurationSec ?? vodSegmentSeconds(templates);
  const now = timeline.now();
  const zero = timelineZeroMs(timeline, segDur);

  let out = vod.replace(/<MPD\b[^>]*>/, (tag) =>
    editTag(tag, {
      type: 'dynamic',
      mediaPresentationDuration: undefined,
      availabilityStartTime: new Date(zero).toISOString(),
      publishTime: new Date(now).toISOString(),
      minimumUpdatePeriod: isoDuration(segDur),
      timeShiftBufferDepth: isoDuration(timeline.windowSegments * segDur),
      suggestedPresentationDelay: isoDuration(Math.min(3, timeline.windowSegments) * segDur),
      maxSegmentDuration: isoDuration(segDur),
    }),
  );
  let periodIndex = 0;
  out = out.replace(/<Period\b[^>]*>/g, (tag) =>
    editTag(tag, {
      duration: undefined,
      id: attr(tag, 'id') ?? String(periodIndex++),
      start: attr(tag, 'start') ?? 'PT0S',
    }),
  );
  out = out.replace(SEGMENT_TEMPLATE, (el) => {
    const open = /^<[^>]*>/.exec(el)?.[0] ?? el;
    const timescale = Number(attr(open, 'timescale') ?? '1');
    const tag = editTag(open.replace(/\/\s*>$/, '>'), { duration: String(Math.round(segDur * timescale)) });
    const inner = el
      .slice(open.length)
      .replace(/<\/SegmentTemplate>$/, '')
      .replace(/<SegmentTimeline\b[\s\S]*?<\/SegmentTimeline>/, '');
    return inner.trim() === '' ? tag.replace(/>$/, '/>') : `${tag}${inner}</SegmentTemplate>`;
  });
  // Direct UTCTiming hands the player the server's clock (possibly injected) without another request.
  out = out.replace(/<UTCTiming\b[^>]*?(?:\/>|>[\s\S]*?<\/UTCTiming>)\s*/g, '');
  const utc = `<UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="${new Date(now).toISOString()}"/>`;
  return out.replace(/<\/MPD>/, `  ${utc}\n</MPD>`);
}

interface MpdCacheEntry {
  mtimeMs: number;
  templates: DashTemplate[];
}
const mpdCache = new Map<string, MpdCacheEntry>();
const timescaleCache = new Map<string, Map<number, number>>();

export async function templatesOf(file: string): Promise<DashTemplate[]> {
  const { mtimeMs } = await stat(file);
  const hit = mpdCache.get(file);
  if (hit?.mtimeMs === mtimeMs) return hit.templates;
  const templates = readTemplates(await readFile(file, 'utf8'));
  mpdCache.set(file, { mtimeMs, templates });
  return templates;
}

async function timescalesOf(initFile: string): Promise<Map<number, number>> {
  let ts = timescaleCache.get(initFile);
  if (!ts) {
    ts = readTimescales(await readFile(initFile));
    timescaleCache.set(initFile, ts);
  }
  return ts;
}

export type DashSegmentResult = { kind: 'segment'; data: Buffer } | { kind: 'error'; status: number; message: string };

/**
 * If `rel` (path under root, no leading slash) is a media segment of an MPD in one of its ancestor directories,
 * serves VOD segment `(N − startNumber) mod count + startNumber` with tfdt shifted by whole loops, or 404 when
 * N is not yet available. Undefined when no MPD template matches (plain static file).
 */
export async function dashSegment(
  root: string,
  rel: string,
  timeline: LiveTimeline,
): Promise<DashSegmentResult | undefined> {
  for (let dir = path.posix.dirname(rel); ; dir = path.posix.dirname(dir)) {
    const mpds = await readdir(path.join(root, dir)).then(
      (names) => names.filter((n) => n.endsWith('.mpd')),
      () => [],
    );
    for (const name of mpds) {
      const templates = await templatesOf(path.join(root, dir, name)).catch(() => []);
      for (const t of templates) {
        const m = templateRegex(path.posix.join(dir, fillTemplate(t.media, t))).exec(rel);
        if (m?.[1] === undefined) continue;
        return serveLooped(root, dir, t, Number(m[1]), timeline, templates);
      }
    }
    if (dir === '.' || dir === '/' || dir === '') return undefined;
  }
}

async function serveLooped(
  root: string,
  dir: string,
  t: DashTemplate,
  n: number,
  timeline: LiveTimeline,
  all: DashTemplate[],
): Promise<DashSegmentResult> {
  const index = n - t.startNumber;
  const segDur = timeline.segmentDurationSec ?? vodSegmentSeconds(all);
  if (index < 0 || index > newestSegment(timeline, segDur)) {
    return { kind: 'error', status: 404, message: `segment ${n} is not available yet` };
  }
  if (!Number.isFinite(t.count) || t.count <= 0) {
    return { kind: 'error', status: 500, message: 'cannot count the VOD segments of this MPD' };
  }
  const loop = Math.floor(index / t.count);
  const vodNumber = (index % t.count) + t.startNumber;
  const file = path.join(root, dir, fillTemplate(t.media, t, vodNumber));
  const data = await readFile(file);
  if (loop === 0 || t.initialization === undefined) return { kind: 'segment', data };
  const timescales = await timescalesOf(path.join(root, dir, fillTemplate(t.initialization, t)));
  // One loop lasts count × the nominal VOD segment duration, the same for every track so A/V stay aligned.
  const loopSec = loop * t.count * vodSegmentSeconds(all);
  const ticks = (timescale: number): bigint => BigInt(Math.round(loopSec * timescale));
  const shifted = shiftTfdt(data, (trackId) => ticks(timescales.get(trackId) ?? t.timescale), ticks);
  return { kind: 'segment', data: shifted };
}
