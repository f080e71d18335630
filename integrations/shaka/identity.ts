/**
 * Shaka manifest objects → engine identities, from Shaka's public externs only (Stream, Variant, Manifest,
 * SegmentReference getters). The rules match the hls.js integration so viewers of one HLS stream meet whatever
 * player they use:
 * - HLS video: the variant's BANDWIDTH (Shaka's `variant.bandwidth`), RESOLUTION (the video stream's
 *   width/height) and CODECS (video + audio codecs of the variant; the key sorts them) — what hls.js reads from
 *   EXT-X-STREAM-INF. HLS audio: LANGUAGE, else NAME (Shaka's `originalLanguage` / `label`).
 * - DASH: the Representation's @bandwidth, @width/@height and @codecs (audio: @bandwidth, @codecs, @lang).
 * - Segments: VOD and DASH live = start time (+ byte range); HLS live = media sequence number (see
 *   hls-sequence.ts; without one the segment is not shared rather than risk a wrong id).
 */
import {
  hlsLiveSegmentId,
  initSegmentId,
  vodSegmentId,
  type ByteRange,
  type RenditionAttributes,
  type SegmentDescriptor,
  type StreamType,
} from '../../core/index.js';
import type { ShakaManifest, ShakaRequest, ShakaSegmentReference, ShakaStream } from './types.js';

export interface Rendition {
  type: StreamType;
  rendition: RenditionAttributes;
}

function joinCodecs(...codecs: (string | undefined)[]): string {
  const all = codecs.flatMap((c) => (c ?? '').split(',')).map((c) => c.trim());
  return [...new Set(all.filter(Boolean))].join(',');
}

/** Rendition of a video or audio stream of this manifest; undefined for text, image and unknown types. */
export function streamRendition(manifest: ShakaManifest, stream: ShakaStream): Rendition | undefined {
  const hls = manifest.type.toUpperCase() === 'HLS';
  if (stream.type === 'audio') {
    if (hls) {
      const language = stream.originalLanguage ?? (stream.language === 'und' ? '' : stream.language);
      const out: RenditionAttributes = { name: stream.label ?? stream.originalId ?? 'audio' };
      if (language) out.language = language;
      return { type: 'audio', rendition: out };
    }
    const out: RenditionAttributes = {};
    if (stream.bandwidth) out.bandwidth = stream.bandwidth;
    if (stream.codecs) out.codecs = stream.codecs;
    const language = stream.originalLanguage ?? stream.language;
    if (language && language !== 'und') out.language = language;
    if (stream.originalId) out.name = stream.originalId;
    return { type: 'audio', rendition: out };
  }
  if (stream.type !== 'video') return undefined;
  const out: RenditionAttributes = {};
  if (stream.width !== undefined || stream.height !== undefined) {
    out.width = stream.width ?? 0;
    out.height = stream.height ?? 0;
  }
  if (hls) {
    // A video stream can sit in several variants (one per audio group); the first one, in manifest order, is
    // what hls.js lists first too.
    const variant = manifest.variants.find((v) => v.video === stream);
    if (variant?.bandwidth) out.bandwidth = variant.bandwidth;
    const codecs = joinCodecs(stream.codecs, variant?.audio?.codecs);
    if (codecs) out.codecs = codecs;
    if (out.bandwidth === undefined && out.width === undefined && !out.codecs) out.name = 'default';
  } else {
    if (stream.bandwidth) out.bandwidth = stream.bandwidth;
    if (stream.codecs) out.codecs = stream.codecs;
    if (stream.originalId) out.name = stream.originalId;
  }
  return { type: 'main', rendition: out };
}

/** Shaka's end byte is inclusive (null = to the end of the resource); the engine's is exclusive. */
export function rangeOf(startByte: number, endByte: number | null): ByteRange | null | undefined {
  if (endByte !== null) return { start: startByte, end: endByte + 1 };
  return startByte > 0 ? null : undefined; // null: open-ended range, which the engine cannot address
}

/** `Range: bytes=a-b` of a Shaka segment request (NetworkingUtils.createSegmentRequest sets it). */
export function requestRange(request: ShakaRequest): ByteRange | null | undefined {
  const header: string | undefined = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'range')?.[1];
  if (!header) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  return rangeOf(Number(m[1]), m[2] ? Number(m[2]) : null);
}

export function requestKey(url: string, range: ByteRange | undefined): string {
  const base = url.replace(/#.*$/, '');
  return range ? `${base}|${range.start}-${range.end}` : base;
}

export interface IdContext {
  live: boolean;
  hls: boolean;
  /** HLS live: media sequence of a segment request key, from the playlists Shaka loaded. */
  sequenceOf(key: string): number | undefined;
}

/** Engine descriptor of a media segment, or undefined when it must not go through the engine. */
export function describeReference(ref: ShakaSegmentReference, ctx: IdContext): SegmentDescriptor | undefined {
  if (ref.isPartial()) return undefined; // LL parts: tiny, latency-critical
  const url = ref.getUris()[0];
  const range = rangeOf(ref.getStartByte(), ref.getEndByte());
  if (!url || range === null) return undefined;
  const startSec = ref.getStartTime();
  let id: string;
  if (ctx.live && ctx.hls) {
    const sequence = ctx.sequenceOf(requestKey(url, range));
    if (sequence === undefined) return undefined;
    id = hlsLiveSegmentId(sequence);
  } else {
    id = vodSegmentId(startSec, range);
  }
  const durationSec = Math.max(0, ref.getEndTime() - startSec);
  return { id, url, startSec, durationSec, ...(range ? { byteRange: range } : {}) };
}

/** Engine descriptor of an init segment request (Shaka exposes init references' URIs only on the request). */
export function describeInitRequest(request: ShakaRequest): SegmentDescriptor | undefined {
  const url = request.uris[0];
  const range = requestRange(request);
  if (!url || range === null) return undefined;
  return {
    id: initSegmentId(url, range),
    url,
    startSec: 0,
    durationSec: 0,
    isInit: true,
    ...(range ? { byteRange: range } : {}),
  };
}
