/**
 * Engine-independent identities. Two viewers meet in a swarm only when their swarm keys are byte-identical,
 * so everything here is derived from stable stream attributes, never from list positions.
 */

/** Bump when the swarm key scheme, segment id scheme or wire semantics change: old and new peers then never meet. */
export const SWARM_KEY_VERSION = 1;

/** Rendition attributes as the manifest declares them (all optional; give what the manifest has). */
export interface RenditionAttributes {
  /** Declared peak bandwidth in bits/s (HLS BANDWIDTH, DASH @bandwidth). */
  bandwidth?: number;
  width?: number;
  height?: number;
  /** Comma-separated RFC 6381 codecs string. */
  codecs?: string;
  /** BCP 47 language tag. */
  language?: string;
  /** Rendition name; used only when nothing else identifies the rendition. */
  name?: string;
}

export type StreamType = 'main' | 'audio' | 'video';

/** Content id: the manifest URL without scheme, query string or fragment (tokens usually live in the query). */
export function contentIdFromUrl(manifestUrl: string): string {
  return manifestUrl.replace(/[?#].*$/, '').replace(/^[a-z][a-z0-9+.-]*:\/\//i, '//');
}

/**
 * One codec in canonical form: lower case; the legacy decimal `avc1.<profile>.<level>` (e.g. `avc1.66.30`) as the
 * RFC 6381 hex `avc1.<PP00LL>` that players convert it to (`avc1.42001e`); `mp4a.40.02` as `mp4a.40.2`.
 */
export function canonicalCodec(codec: string): string {
  const c = codec.trim().toLowerCase();
  const avc = /^(avc[13])\.(\d+)\.(\d+)$/.exec(c);
  if (!avc) return c.replace(/^(mp4a\.[0-9a-f]+\.)0+(?=\d)/, '$1');
  const hex = (n: string | undefined): string => Number(n).toString(16).padStart(2, '0');
  return `${avc[1] ?? ''}.${hex(avc[2])}00${hex(avc[3])}`;
}

/** Canonical rendition key from attributes; codecs are canonicalised and sorted so engines' spellings agree. */
export function renditionKey(type: StreamType, r: RenditionAttributes): string {
  const codecs = (r.codecs ?? '').split(',').map(canonicalCodec).filter(Boolean).sort().join(',');
  const parts = [type === 'audio' ? 'a' : 'v'];
  if (r.bandwidth !== undefined) parts.push(`b${Math.round(r.bandwidth)}`);
  if (r.width !== undefined || r.height !== undefined) parts.push(`r${r.width ?? 0}x${r.height ?? 0}`);
  if (codecs) parts.push(`c${codecs}`);
  if (r.language) parts.push(`l${r.language.toLowerCase().split('-')[0] ?? ''}`);
  if (parts.length === 1 && r.name) parts.push(`n${r.name}`);
  return parts.join(';');
}

/** Versioned swarm key; the P2P layer hashes it into the tracker info_hash. */
export function swarmKey(contentId: string, rendition: string): string {
  return `swarmcast:v${SWARM_KEY_VERSION}|${contentId}|${rendition}`;
}

/** HLS live: the media sequence number is the only id every engine agrees on. */
export function hlsLiveSegmentId(mediaSequence: number): string {
  return `s${mediaSequence}`;
}

/**
 * VOD / DASH: start time rounded to 0.1 s (engines sum float durations differently), plus the byte range for
 * byte-range addressed segments. `end` is exclusive.
 */
export function vodSegmentId(startSec: number, byteRange?: { start: number; end: number }): string {
  const t = `t${Math.round(startSec * 10)}`;
  return byteRange ? `${t}@${byteRange.start}-${byteRange.end}` : t;
}

/** Init segments: a short hash of the URL without query (plus range), to stay far below the 255-byte id limit. */
export function initSegmentId(url: string, byteRange?: { start: number; end: number }): string {
  const base = url.replace(/[?#].*$/, '') + (byteRange ? `@${byteRange.start}-${byteRange.end}` : '');
  return `i${hash53(base).toString(36)}`;
}

/** cyrb53: a fast, well-distributed 53-bit string hash (not cryptographic; collisions need a swarm key match too). */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
