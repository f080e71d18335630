/**
 * dash.js value objects → engine identities, by the rules the Shaka and Video.js integrations use for DASH, so
 * viewers of one MPD meet whatever player they use:
 * - video: the Representation's @bandwidth, @width×@height and @codecs (Shaka's `stream.bandwidth/width/height/
 *   codecs`, VHS's BANDWIDTH/RESOLUTION/CODECS); audio: @bandwidth, @codecs and the AdaptationSet's @lang, as
 *   Shaka keys DASH audio. The Representation@id is only a last resort, as in Shaka.
 * - media segments: the presentation start time (dash.js's `presentationStartTime`, i.e. Period@start + (media
 *   time − presentationTimeOffset), what Shaka's `getStartTime()` gives) plus the byte range for SegmentBase;
 *   the same for VOD and live. Init segments: URL + range, as everywhere.
 */
import {
  initSegmentId,
  vodSegmentId,
  type ByteRange,
  type RenditionAttributes,
  type SegmentDescriptor,
  type StreamType,
} from '../../core/index.js';
import type { DashFragmentRequest, DashRepresentation } from './types.js';

export const MEDIA_SEGMENT = 'MediaSegment';
export const INIT_SEGMENT = 'InitializationSegment';

export interface Rendition {
  type: StreamType;
  rendition: RenditionAttributes;
}

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

/** Rendition of a video or audio Representation; undefined for other media types. */
export function representationRendition(rep: DashRepresentation, mediaType: string): Rendition | undefined {
  if (mediaType !== 'video' && mediaType !== 'audio') return undefined;
  const out: RenditionAttributes = {};
  if (positive(rep.bandwidth)) out.bandwidth = rep.bandwidth;
  if (mediaType === 'video' && (positive(rep.width) || positive(rep.height))) {
    out.width = positive(rep.width) ? rep.width : 0;
    out.height = positive(rep.height) ? rep.height : 0;
  }
  if (rep.codecs) out.codecs = rep.codecs;
  const lang = rep.mediaInfo?.lang;
  if (mediaType === 'audio' && lang && lang !== 'und') out.language = lang;
  if (rep.id) out.name = rep.id;
  return { type: mediaType === 'video' ? 'main' : 'audio', rendition: out };
}

/**
 * dash.js ranges are `start-end` strings, end inclusive; the engine's end is exclusive. Undefined: no range;
 * null: a range the engine cannot address (malformed or open-ended).
 */
export function parseRange(range: string | number | null | undefined): ByteRange | null | undefined {
  if (range === null || range === undefined || range === '') return undefined;
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(range));
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]) + 1;
  return end > start && Number.isSafeInteger(end) ? { start, end } : null;
}

/** Engine descriptor of an init or media segment request; undefined when it must not go through the engine. */
export function describeRequest(req: DashFragmentRequest): SegmentDescriptor | undefined {
  const url = req.url;
  const range = parseRange(req.range);
  if (!url || range === null) return undefined;
  const withRange = range ? { byteRange: range } : {};
  if (req.type === INIT_SEGMENT) {
    return { id: initSegmentId(url, range), url, startSec: 0, durationSec: 0, isInit: true, ...withRange };
  }
  if (req.type !== MEDIA_SEGMENT || req.isPartialSegmentRequest) return undefined;
  const startSec = req.startTime;
  if (typeof startSec !== 'number' || !Number.isFinite(startSec)) return undefined;
  const durationSec = typeof req.duration === 'number' && req.duration > 0 ? req.duration : 0;
  return { id: vodSegmentId(startSec, range), url, startSec, durationSec, ...withRange };
}
