/**
 * The little HLS a virtual viewer needs (browser-safe): variants of a multivariant playlist and the segments of a
 * media playlist, shaped like the hls.js `Level` / `LevelDetails` fields the hls.js integration reads, so the
 * integration's own `levelRendition` / `describePlaylist` give virtual viewers the same swarm keys and segment
 * ids as real hls.js viewers.
 */

export interface Variant {
  /** Absolute URL of the media playlist. */
  url: string;
  /** Attribute list with quotes removed, as hls.js keeps it in `level.attrs`. */
  attrs: Record<string, string>;
  bandwidth: number;
}

export interface MediaSegment {
  sn: number;
  url: string;
  duration: number;
  /** hls.js order: [start, end) in bytes; empty when the whole resource is the segment. */
  byteRange: number[];
  initSegment: { url: string; byteRange: number[] } | undefined;
}

export interface MediaPlaylist {
  live: boolean;
  targetDurationSec: number;
  segments: MediaSegment[];
}

export function parseAttributes(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of list.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
    const [, key = '', raw = ''] = m;
    out[key] = raw.startsWith('"') ? raw.slice(1, -1) : raw;
  }
  return out;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Variants, highest bandwidth first. Alternate audio renditions are refused: virtual viewers load one stream. */
export function parseMultivariant(text: string, baseUrl: string): Variant[] {
  const all = lines(text);
  if (all.some((l) => l.startsWith('#EXT-X-MEDIA:') && l.includes('TYPE=AUDIO') && l.includes('URI=')))
    throw new Error('virtual viewers do not load alternate audio renditions (EXT-X-MEDIA TYPE=AUDIO)');
  const variants: Variant[] = [];
  all.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const uri = all[i + 1];
    if (uri === undefined || uri.startsWith('#')) return;
    const attrs = parseAttributes(line.slice('#EXT-X-STREAM-INF:'.length));
    variants.push({ url: new URL(uri, baseUrl).href, attrs, bandwidth: Number(attrs.BANDWIDTH ?? 0) });
  });
  return variants.sort((a, b) => b.bandwidth - a.bandwidth);
}

/** `len@offset` → [offset, offset + len); a missing offset continues after the previous range of the same URI. */
function byteRange(spec: string, previousEnd: number): number[] {
  const [len = '0', off] = spec.split('@');
  const start = off === undefined ? previousEnd : Number(off);
  return [start, start + Number(len)];
}

export function parseMediaPlaylist(text: string, baseUrl: string): MediaPlaylist {
  let sn = 0;
  let targetDurationSec = 0;
  let live = true;
  let duration = 0;
  let range: string | undefined;
  let init: MediaSegment['initSegment'];
  let previousEnd = 0;
  const segments: MediaSegment[] = [];
  for (const line of lines(text)) {
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) sn = Number(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length));
    else if (line.startsWith('#EXT-X-TARGETDURATION:'))
      targetDurationSec = Number(line.slice('#EXT-X-TARGETDURATION:'.length));
    else if (line === '#EXT-X-ENDLIST' || line === '#EXT-X-PLAYLIST-TYPE:VOD') live = false;
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line.startsWith('#EXT-X-BYTERANGE:')) range = line.slice('#EXT-X-BYTERANGE:'.length);
    else if (line.startsWith('#EXT-X-MAP:')) {
      const a = parseAttributes(line.slice('#EXT-X-MAP:'.length));
      init = { url: new URL(a.URI ?? '', baseUrl).href, byteRange: a.BYTERANGE ? byteRange(a.BYTERANGE, 0) : [] };
    } else if (!line.startsWith('#')) {
      const r = range === undefined ? [] : byteRange(range, previousEnd);
      previousEnd = r[1] ?? 0;
      segments.push({ sn: sn++, url: new URL(line, baseUrl).href, duration, byteRange: r, initSegment: init });
      range = undefined;
    }
  }
  return { live, targetDurationSec, segments };
}
