/**
 * Targeted MPD reading and editing with regexes: enough for the SegmentTemplate fixtures this repo generates,
 * tolerant of attribute order and of templates at AdaptationSet or Representation level. Not a general parser.
 */
import { parseIsoDuration } from './live-clock.js';

export type Attrs = [name: string, value: string][];

const ATTR = /([\w:.-]+)\s*=\s*"([^"]*)"/g;

export function parseAttrs(tag: string): Attrs {
  const head = tag.replace(/^<[\w:.-]+/, '');
  return [...head.matchAll(ATTR)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

export function attr(tag: string, name: string): string | undefined {
  return parseAttrs(tag).find(([n]) => n === name)?.[1];
}

/** Rewrites an opening tag's attributes, keeping their order; `undefined` removes an attribute. */
export function editTag(tag: string, changes: Record<string, string | undefined>): string {
  const name = /^<([\w:.-]+)/.exec(tag)?.[1] ?? '';
  const selfClosing = /\/\s*>$/.test(tag);
  const attrs = parseAttrs(tag);
  const out: Attrs = [];
  for (const [n, v] of attrs) {
    if (!(n in changes)) out.push([n, v]);
    else if (changes[n] !== undefined) out.push([n, changes[n]]);
  }
  for (const [n, v] of Object.entries(changes)) {
    if (v !== undefined && !attrs.some(([a]) => a === n)) out.push([n, v]);
  }
  const body = out.map(([n, v]) => ` ${n}="${v}"`).join('');
  return `<${name}${body}${selfClosing ? '/>' : '>'}`;
}

export const SEGMENT_TEMPLATE = /<SegmentTemplate\b[^>]*?(?:\/>|>[\s\S]*?<\/SegmentTemplate>)/g;
const REPRESENTATION = /<Representation\b[^>]*?(?:\/>|>[\s\S]*?<\/Representation>)/g;
const ADAPTATION_SET = /<AdaptationSet\b[\s\S]*?<\/AdaptationSet>/g;

export interface DashTemplate {
  repId: string;
  bandwidth: string;
  media: string;
  initialization: string | undefined;
  startNumber: number;
  timescale: number;
  /** Nominal segment duration in `timescale` ticks. */
  durationTicks: number;
  /** Segments looped over (Infinity when neither a duration nor a timeline tells). */
  count: number;
}

function openTag(el: string): string {
  return /^<[^>]*>/.exec(el)?.[0] ?? el;
}

/** Median S@d (a priming or tail segment must not set the nominal duration) and the segment count. */
function timelineInfo(templateEl: string): { typicalDuration: number; count: number } | undefined {
  const durations: number[] = [];
  for (const [s] of templateEl.matchAll(/<S\b[^>]*>/g)) {
    const repeat = 1 + Math.max(0, Number(attr(s, 'r') ?? '0'));
    for (let i = 0; i < repeat; i++) durations.push(Number(attr(s, 'd') ?? '0'));
  }
  if (durations.length === 0) return undefined;
  durations.sort((a, b) => a - b);
  return { typicalDuration: durations[Math.floor(durations.length / 2)] ?? 0, count: durations.length };
}

/** Every Representation with the SegmentTemplate that applies to it. */
export function readTemplates(mpd: string): DashTemplate[] {
  const mpdTag = /<MPD\b[^>]*>/.exec(mpd)?.[0] ?? '';
  const periodTag = /<Period\b[^>]*>/.exec(mpd)?.[0] ?? '';
  const total = parseIsoDuration(attr(mpdTag, 'mediaPresentationDuration') ?? attr(periodTag, 'duration') ?? '');
  const out: DashTemplate[] = [];
  for (const [asEl] of mpd.matchAll(ADAPTATION_SET)) {
    const reps = [...asEl.matchAll(REPRESENTATION)].map((m) => m[0]);
    const asTemplate = asEl.replace(REPRESENTATION, '').match(SEGMENT_TEMPLATE)?.[0];
    for (const rep of reps) {
      const tplEl = rep.match(SEGMENT_TEMPLATE)?.[0] ?? asTemplate;
      if (tplEl === undefined) continue;
      const tpl = openTag(tplEl);
      const media = attr(tpl, 'media');
      if (media === undefined) continue;
      const timescale = Number(attr(tpl, 'timescale') ?? '1');
      const timeline = timelineInfo(tplEl);
      const durationTicks = Number(attr(tpl, 'duration') ?? timeline?.typicalDuration ?? 0);
      const segSec = durationTicks / timescale;
      // Rounded, not ceiled: a few ms of audio past the video end must not add a near-empty segment to the loop.
      const fromTotal = total !== undefined && segSec > 0 ? Math.max(1, Math.round(total / segSec)) : undefined;
      const count = Math.min(fromTotal ?? Infinity, timeline?.count ?? Infinity);
      out.push({
        repId: attr(openTag(rep), 'id') ?? '',
        bandwidth: attr(openTag(rep), 'bandwidth') ?? '',
        media,
        initialization: attr(tpl, 'initialization'),
        startNumber: Number(attr(tpl, 'startNumber') ?? '1'),
        timescale,
        durationTicks,
        count,
      });
    }
  }
  return out;
}

/** Substitutes a template; `number` undefined leaves the `$Number…$` identifier for `templateRegex`. */
export function fillTemplate(template: string, t: DashTemplate, number?: number): string {
  return template.replace(/\$(RepresentationID|Bandwidth|Number|Time)?(?:%0(\d+)d)?\$/g, (whole, id, width) => {
    if (id === undefined) return '$';
    if (id === 'RepresentationID') return t.repId;
    if (id === 'Bandwidth') return t.bandwidth;
    if (id === 'Number' && number !== undefined) return String(number).padStart(Number(width ?? 0), '0');
    return whole;
  });
}

/** Regex matching the filled media template, capturing the number. */
export function templateRegex(filled: string): RegExp {
  let src = '';
  let last = 0;
  for (const m of filled.matchAll(/\$Number(?:%0\d+d)?\$/g)) {
    src += escapeRe(filled.slice(last, m.index)) + '(\\d+)';
    last = m.index + m[0].length;
  }
  src += escapeRe(filled.slice(last));
  return new RegExp(`^${src}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
