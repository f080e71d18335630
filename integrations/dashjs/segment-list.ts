/**
 * The look-ahead: a Representation's segments before dash.js asks for them, so the engine can fetch ahead from
 * peers. dash.js computes template segments one at a time inside its (private) segment getters, so the list is
 * derived here from the same inputs its getters read, with the same formulas:
 * - SegmentTemplate with @duration: segment i starts at Period@start + i × duration, number = startNumber + i;
 * - SegmentTimeline: S@t/@d/@r from the parsed MPD, start = Period@start + t/timescale − presentationTimeOffset;
 * - SegmentBase: the segments dash.js built from the sidx (`representation.segments`), addressed by byte range.
 * Segment URLs need the resolved BaseURL, which only dash.js knows: it is learned from the first request of the
 * Representation (its URL minus the template part, see learnBase). SegmentList is not listed ahead (its segments
 * are still served when dash.js asks for them).
 */
import { vodSegmentId, type SegmentDescriptor } from '../../core/index.js';
import { parseRange } from './identity.js';
import type { DashRepresentation, ParsedTimelineEntry } from './types.js';

/** Most segments described at once, from the window's start (a long VOD or DVR window is listed in parts). */
export const MAX_LISTED = 2000;

/** Where the segment URLs of a Representation resolve: a template base, or the one file of SegmentBase. */
export type UrlBase = { kind: 'template'; base: string } | { kind: 'file'; url: string };

/**
 * Presentation-time window of segments to list: from a little behind the playhead to the period's end (VOD) or
 * to the end of dash.js's DVR window (live: only segments already complete there).
 */
export interface ListWindow {
  startSec: number;
  /** Infinity: to the end of the period. */
  endSec: number;
  live: boolean;
}

const TEMPLATE = /\$(RepresentationID|Number|Bandwidth|Time|SubNumber)?(?:%0(\d+)([dxX]))?\$/g;

/** Fills a DASH URL template ($RepresentationID$, $Number%05d$, $Bandwidth$, $Time$, $$). */
export function fillTemplate(
  template: string,
  v: { id?: string | null; number?: number; bandwidth?: number; time?: number },
): string {
  return template.replace(TEMPLATE, (whole, name: string | undefined, width: string | undefined, fmt?: string) => {
    if (name === undefined) return whole === '$$' ? '$' : whole;
    const value =
      name === 'RepresentationID'
        ? v.id
        : name === 'Number'
          ? v.number
          : name === 'Bandwidth'
            ? v.bandwidth
            : name === 'Time'
              ? v.time
              : undefined;
    if (value === undefined || value === null) return whole;
    if (name === 'RepresentationID') return String(value);
    const n = Number(value);
    const text = fmt === 'x' ? n.toString(16) : fmt === 'X' ? n.toString(16).toUpperCase() : String(n);
    return width ? text.padStart(Number(width), '0') : text;
  });
}

const stripQuery = (url: string): string => url.replace(/[?#].*$/, '');
const isAbsolute = (url: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(url);

/**
 * The URL base of a Representation from one real request: `url` minus `relative` (the filled template part it
 * was resolved from). Undefined when the request URL does not end with it (then nothing is listed ahead).
 */
export function learnBase(url: string, relative: string | null | undefined): string | undefined {
  if (!relative) return undefined;
  const rel = stripQuery(relative);
  if (isAbsolute(rel)) return '';
  const full = stripQuery(url);
  return rel && full.endsWith(rel) ? full.slice(0, full.length - rel.length) : undefined;
}

const resolve = (base: string, relative: string): string => (isAbsolute(relative) ? relative : base + relative);

/** The Representation's segments in `window` (at most MAX_LISTED), for the engine's look-ahead. */
export function listSegments(rep: DashRepresentation, urls: UrlBase, window: ListWindow): SegmentDescriptor[] {
  switch (rep.segmentInfoType) {
    case 'SegmentTemplate':
      return urls.kind === 'template' ? listTemplate(rep, urls.base, window) : [];
    case 'SegmentTimeline':
      return urls.kind === 'template' ? listTimeline(rep, urls.base, window) : [];
    case 'SegmentBase':
    case 'BaseURL':
      return urls.kind === 'file' ? listSegmentBase(rep, urls.url, window) : [];
    default:
      return [];
  }
}

function periodOf(rep: DashRepresentation): { start: number; end: number } {
  const p = rep.adaptation?.period;
  const start = p && Number.isFinite(p.start) ? p.start : 0;
  const end = p && Number.isFinite(p.duration) && p.duration > 0 ? start + p.duration : Infinity;
  return { start, end };
}

/** dash.js rounds index-based start times to 5 decimals (SegmentsUtils.getIndexBasedSegment). */
const round5 = (n: number): number => parseFloat(n.toFixed(5));

function listTemplate(rep: DashRepresentation, base: string, window: ListWindow): SegmentDescriptor[] {
  const d = rep.segmentDuration;
  if (!rep.media || !(d > 0)) return [];
  const period = periodOf(rep);
  const first = Math.max(0, Math.floor((window.startSec - period.start) / d));
  // Live: segments complete at the DVR window's end. VOD: every segment that starts before the period ends.
  let last = window.live
    ? Math.floor((Math.min(period.end, window.endSec) - period.start) / d + 1e-9) - 1
    : Math.ceil((Math.min(period.end, window.endSec) - period.start) / d - 1e-9) - 1;
  if (typeof rep.endNumber === 'number' && rep.endNumber > 0) last = Math.min(last, rep.endNumber - rep.startNumber);
  last = Math.min(last, first + MAX_LISTED - 1);
  if (!Number.isFinite(last)) return [];
  const out: SegmentDescriptor[] = [];
  for (let i = first; i <= last; i++) {
    const startSec = round5(period.start + i * d);
    const time = Math.round(i * d * rep.timescale);
    const url = resolve(
      base,
      fillTemplate(rep.media, { id: rep.id, number: rep.startNumber + i, bandwidth: rep.bandwidth, time }),
    );
    out.push({ id: vodSegmentId(startSec), url, startSec, durationSec: d });
  }
  return out;
}

function timelineOf(rep: DashRepresentation): ParsedTimelineEntry[] | undefined {
  const period = rep.adaptation?.period;
  const adaptation = rep.adaptation;
  if (!period || !adaptation) return undefined;
  const parsed =
    period.mpd?.manifest?.Period?.[period.index]?.AdaptationSet?.[adaptation.index]?.Representation?.[rep.index];
  return (parsed?.SegmentTemplate ?? parsed?.SegmentList)?.SegmentTimeline?.S;
}

function listTimeline(rep: DashRepresentation, base: string, window: ListWindow): SegmentDescriptor[] {
  const entries = timelineOf(rep);
  const timescale = rep.timescale > 0 ? rep.timescale : 1;
  if (!rep.media || !entries) return [];
  const period = periodOf(rep);
  const end = Math.min(period.end, window.endSec);
  const toStart = (t: number): number => t / timescale - rep.presentationTimeOffset + period.start;
  const out: SegmentDescriptor[] = [];
  let t = 0;
  let index = 0;
  for (const [k, s] of entries.entries()) {
    if (typeof s.t === 'number') t = s.t;
    if (!(s.d > 0)) return out;
    let repeat = s.r ?? 0;
    if (repeat < 0) {
      // Repeat until the next S@t, else the period's (live: the DVR window's) end, as dash.js does.
      const next = entries[k + 1]?.t;
      const until = typeof next === 'number' ? next : (end - period.start + rep.presentationTimeOffset) * timescale;
      repeat = Number.isFinite(until) ? Math.max(Math.ceil((until - t) / s.d) - 1, 0) : 0;
    }
    for (let j = 0; j <= repeat; j++, index++, t += s.d) {
      const startSec = toStart(t);
      const durationSec = s.d / timescale;
      // Live: complete by the DVR window's end; VOD: starting before the period ends.
      if ((window.live ? startSec + durationSec : startSec) > end + 1e-3 || out.length >= MAX_LISTED) return out;
      if (startSec + durationSec <= window.startSec) continue;
      const number = rep.startNumber + index;
      const url = resolve(base, fillTemplate(rep.media, { id: rep.id, number, bandwidth: rep.bandwidth, time: t }));
      out.push({ id: vodSegmentId(startSec), url, startSec, durationSec });
    }
  }
  return out;
}

function listSegmentBase(rep: DashRepresentation, url: string, window: ListWindow): SegmentDescriptor[] {
  const out: SegmentDescriptor[] = [];
  for (const s of rep.segments ?? []) {
    const range = parseRange(s.mediaRange);
    if (!range || !Number.isFinite(s.presentationStartTime)) continue;
    if (s.presentationStartTime + s.duration <= window.startSec || s.presentationStartTime > window.endSec) continue;
    const startSec = s.presentationStartTime;
    out.push({ id: vodSegmentId(startSec, range), url, startSec, durationSec: s.duration, byteRange: range });
  }
  return out.slice(0, MAX_LISTED);
}
