import type { ByteRange } from '../types.js';

/**
 * PeerTube's `segments-sha256.json`, read as PeerTube writes it: an object keyed by segment file name whose value
 * is the file's SHA-256 in lowercase hex, or, for files served as byte ranges, an object keyed by
 * `"<first byte>-<last byte>"` (both inclusive, as in an HTTP Range header) whose values are the ranges' SHA-256.
 *
 * Keys are paths relative to the list's own directory: PeerTube keeps its segments next to the list, so the key is
 * the file name; a folder with a subfolder per rendition (`v240/seg-00001.m4s`) keys them with the subfolder, as
 * `swarmcast-hash` writes them. Query strings are not part of the key (signed URLs, `?live=` counters).
 */

/** File name looked up in the manifest's directory when no list URL is given. */
export const HASH_LIST_FILENAME = 'segments-sha256.json';

export type HashListEntry = string | ReadonlyMap<string, string>;

export class HashListFormatError extends Error {}

const HEX64 = /^[0-9a-f]{64}$/;
const RANGE_KEY = /^(\d+)-(\d+)$/;

/** Validates a parsed `segments-sha256.json`; throws HashListFormatError naming the first bad entry. */
export function parseHashList(json: unknown): ReadonlyMap<string, HashListEntry> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new HashListFormatError('hash list is not a JSON object');
  }
  const out = new Map<string, HashListEntry>();
  for (const [file, value] of Object.entries(json as Record<string, unknown>)) {
    if (typeof value === 'string') {
      if (!HEX64.test(value.toLowerCase())) throw new HashListFormatError(`"${file}": not a SHA-256 hex digest`);
      out.set(file, value.toLowerCase());
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new HashListFormatError(`"${file}": expected a digest or an object of byte ranges`);
    }
    const ranges = new Map<string, string>();
    for (const [range, digest] of Object.entries(value as Record<string, unknown>)) {
      const m = RANGE_KEY.exec(range);
      if (!m || Number(m[2]) < Number(m[1])) throw new HashListFormatError(`"${file}": bad byte range "${range}"`);
      if (typeof digest !== 'string' || !HEX64.test(digest.toLowerCase())) {
        throw new HashListFormatError(`"${file}" ${range}: not a SHA-256 hex digest`);
      }
      ranges.set(range, digest.toLowerCase());
    }
    out.set(file, ranges);
  }
  return out;
}

/** `segments-sha256.json` in the directory of `manifestUrl` (query and fragment dropped). */
export function defaultHashListUrl(manifestUrl: string): string {
  return new URL(HASH_LIST_FILENAME, manifestUrl).href;
}

/** The list key of a byte range (`end` exclusive in swarmcast, inclusive in the list). */
export function rangeKey(range: ByteRange): string {
  return `${range.start}-${range.end - 1}`;
}

/**
 * Key of `segmentUrl` in the list at `listUrl`: its path relative to the list's directory, percent-decoded;
 * undefined when the segment is not under that directory on the same origin (such a segment is never listed).
 */
export function segmentKey(listUrl: string, segmentUrl: string): string | undefined {
  let list: URL;
  let seg: URL;
  try {
    list = new URL(listUrl);
    seg = new URL(segmentUrl, listUrl);
  } catch {
    return undefined;
  }
  if (list.origin !== seg.origin) return undefined;
  const dir = list.pathname.slice(0, list.pathname.lastIndexOf('/') + 1);
  if (!seg.pathname.startsWith(dir) || seg.pathname.length === dir.length) return undefined;
  try {
    const key = seg.pathname
      .slice(dir.length)
      .split('/')
      .map((part) => decodeURIComponent(part))
      .join('/');
    return key.split('/').some((p) => p === '..' || p === '.') ? undefined : key;
  } catch {
    return undefined;
  }
}

/** The expected digest (hex) of a segment in a parsed list, or undefined when the list does not have it. */
export function expectedDigest(
  list: ReadonlyMap<string, HashListEntry>,
  key: string,
  byteRange: ByteRange | undefined,
): string | undefined {
  const entry = list.get(key);
  if (entry === undefined) return undefined;
  if (typeof entry === 'string') return byteRange ? undefined : entry;
  return byteRange ? entry.get(rangeKey(byteRange)) : undefined;
}
