import type { ByteRange } from '../types.js';
import { AbortedError, originGet, type OriginAccess } from './origin-fetch.js';
import { failed, passed, type Verdict } from './verdict.js';

/**
 * Verification without a hash list: the CDN is the only authority, so one HTTP Range request fetches a window of
 * the segment at a random offset, compares it with the peer's bytes at that offset, and checks the peer's length
 * against the resource's (`Content-Range: bytes a-b/TOTAL` of that same response; for a byte-range segment the
 * length is known from the range and is checked before any request). See core/integrity/README.md for what it
 * catches, what it cannot, and its cost.
 */

export interface SpotCheckOptions extends OriginAccess {
  /**
   * Uniform in [0, 1), unpredictable to peers: the window must not be guessable. Not Math.random, whose state can be
   * recovered from outputs peers see (peer ids); the default draws from crypto.getRandomValues, which exists on
   * plain-HTTP pages too.
   */
  random: () => number;
  /** Window = this share of the segment, clamped to [minWindowBytes, maxWindowBytes] (and to the segment). */
  windowFraction: number;
  minWindowBytes: number;
  maxWindowBytes: number;
}

export const SPOT_CHECK_DEFAULTS = {
  // A replaced or truncated segment is caught whatever the window's size; only partial alterations need a large
  // one, and those only hash lists stop. So the window is kept small: its bytes are CDN bytes the swarm did not save.
  windowFraction: 1 / 256,
  minWindowBytes: 1024,
  maxWindowBytes: 16 * 1024,
  timeoutMs: 10_000,
} as const;

/** Uniform in [0, 1) from crypto.getRandomValues (53 bits). */
export function secureRandom(): number {
  const w = crypto.getRandomValues(new Uint32Array(2));
  return ((w[0] ?? 0) * 2 ** 21 + ((w[1] ?? 0) >>> 11)) / 2 ** 53;
}

/** Window length for a segment of `size` bytes. */
export function windowBytes(
  size: number,
  o: Pick<SpotCheckOptions, 'windowFraction' | 'minWindowBytes' | 'maxWindowBytes'>,
): number {
  const w = Math.min(o.maxWindowBytes, Math.max(o.minWindowBytes, Math.ceil(size * o.windowFraction)));
  return Math.min(size, w);
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/;

/** Bytes `[start, end)` of a segment's copy that one peer sent. */
export interface PeerSpan {
  start: number;
  end: number;
  peerId: string;
}

/** Most peers one copy's check fetches a window for; a copy pieced from more is refused unblamed (HTTP instead). */
export const MAX_CHECKED_PEERS = 3;

/**
 * Where the windows go. A copy that is all from peers gets one window anywhere. A copy partly from HTTP (a peer cut
 * off and completed over HTTP Range, or the reverse) gets one window inside each sending peer's own bytes: a window
 * drawn over the whole copy would mostly land on HTTP bytes and let a forged part through, while one inside a part
 * shorter than the window covers all of it.
 */
export function windowOffsets(n: number, w: number, random: () => number, spans?: readonly PeerSpan[]): number[] {
  const anywhere = (): number => Math.min(n - w, Math.floor(random() * (n - w + 1)));
  const mine = (spans ?? []).filter((x) => x.end > x.start);
  const fromPeers = mine.reduce((sum, x) => sum + (x.end - x.start), 0);
  if (mine.length === 0 || (fromPeers >= n && new Set(mine.map((x) => x.peerId)).size === 1)) return [anywhere()];
  const byPeer = new Map<string, PeerSpan[]>();
  for (const x of mine) byPeer.set(x.peerId, [...(byPeer.get(x.peerId) ?? []), x]);
  return [...byPeer.values()].map((own) => {
    // A byte of this peer's, uniform over its bytes; the window covers it (all of a short part).
    let at = Math.floor(random() * own.reduce((sum, x) => sum + (x.end - x.start), 0));
    let span = own[own.length - 1] ?? { start: 0, end: n, peerId: '' };
    for (const x of own) {
      if (at < x.end - x.start) {
        span = x;
        break;
      }
      at -= x.end - x.start;
    }
    const len = span.end - span.start;
    const start = len <= w ? span.start : span.start + Math.floor(random() * (len - w + 1));
    return Math.max(0, Math.min(n - w, start));
  });
}

/**
 * Checks `bytes`, delivered by a peer as the segment at `url` (`byteRange` end exclusive), against the origin.
 * `spans`: which bytes came from which peer when the copy is not all from one peer (see windowOffsets).
 */
export async function spotCheck(
  o: SpotCheckOptions,
  url: string,
  byteRange: ByteRange | undefined,
  bytes: Uint8Array,
  signal?: AbortSignal,
  spans?: readonly PeerSpan[],
): Promise<Verdict> {
  const n = bytes.byteLength;
  if (byteRange && n !== byteRange.end - byteRange.start) {
    const detail = `${n} bytes for a ${byteRange.end - byteRange.start}-byte range of ${url}`;
    return failed('spot-check', 'length-mismatch', detail, { cdnBytes: 0, cdnRequests: 0 });
  }
  const w = windowBytes(n, o);
  const offsets = windowOffsets(n, w, o.random, spans);
  if (offsets.length > MAX_CHECKED_PEERS) {
    const detail = `${offsets.length} peers sent parts of ${url}: more than ${MAX_CHECKED_PEERS} are not checked`;
    return failed('spot-check', 'origin-error', detail, { cdnBytes: 0, cdnRequests: 0 });
  }
  const total = { cdnBytes: 0, cdnRequests: 0 };
  const verdicts: Verdict[] = [];
  for (const offset of offsets) {
    const v = await checkWindow(o, url, byteRange, bytes, offset, w, signal);
    verdicts.push(v);
    total.cdnBytes += v.cdnBytes;
    total.cdnRequests += v.cdnRequests;
    if (!v.ok) return { ...v, ...total };
  }
  const detail = verdicts.map((v) => v.detail).join('; ');
  return passed('spot-check', detail, total);
}

/** One window at `offset` (and the length) against one Range request to the origin. */
async function checkWindow(
  o: SpotCheckOptions,
  url: string,
  byteRange: ByteRange | undefined,
  bytes: Uint8Array,
  offset: number,
  w: number,
  signal: AbortSignal | undefined,
): Promise<Verdict> {
  const n = bytes.byteLength;
  const cost = { cdnBytes: 0, cdnRequests: 0 };
  const fail = (reason: Parameters<typeof failed>[1], detail: string): Verdict =>
    failed('spot-check', reason, detail, cost);
  const base = byteRange?.start ?? 0;
  const first = base + offset;
  // An empty peer copy asks for the first byte: only an empty resource answers 416 with a zero total.
  const last = w > 0 ? first + w - 1 : first;
  const where = `bytes ${first}-${last} of ${url}`;
  cost.cdnRequests = 1;
  let res;
  try {
    res = await originGet(o, url, { Range: `bytes=${first}-${last}` }, signal);
  } catch (e) {
    if (e instanceof AbortedError) return fail('aborted', `aborted while checking ${where}`);
    return fail('origin-error', `origin did not answer the check: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { response } = res;
  const header = (name: string): string => response.headers.get(name)?.trim() ?? '';
  const encoding = header('Content-Encoding').toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    res.close();
    return fail('origin-error', `origin sent a ${encoding}-encoded body for ${where}: windows cannot be compared`);
  }
  const compare = (window: Uint8Array, at: number): Verdict | undefined => {
    for (let i = 0; i < window.byteLength; i++) {
      if (window[i] !== bytes[at + i])
        return fail('window-mismatch', `byte ${at + i} differs from the origin (${where})`);
    }
    return undefined;
  };
  const checked = `${w} bytes at ${offset} of ${n} and the length match the origin`;
  try {
    if (response.status === 416) {
      res.close();
      const total = UNSATISFIED_RANGE.exec(header('Content-Range'));
      if (!total) return fail('origin-error', `416 without a total length for ${where}`);
      if (byteRange) return fail('origin-error', `origin's file ends at ${total[1]} bytes, before ${where}`);
      if (Number(total[1]) !== n) return fail('length-mismatch', `${n} bytes, origin has ${total[1]} (${url})`);
      return passed('spot-check', `empty segment, as on the origin (${url})`, cost);
    }
    if (response.status === 200) {
      // The origin ignored Range: the body is the whole resource. A byte range would cost its whole file.
      if (byteRange) {
        res.close();
        return fail('range-unsupported', `origin ignored Range for ${where}`);
      }
      const length = header('Content-Length');
      if (length !== '' && Number(length) !== n) {
        res.close();
        return fail('length-mismatch', `${n} bytes, origin has ${length} (${url})`);
      }
      // With a Content-Length the window is enough; without, read one byte past the peer's end to learn the length.
      const body = await res.read(length !== '' ? offset + w : n + 1);
      cost.cdnBytes = body.byteLength;
      if (length === '' && body.byteLength !== n) {
        return fail(
          'length-mismatch',
          `${n} bytes, origin has ${body.byteLength > n ? 'more' : body.byteLength} (${url})`,
        );
      }
      if (body.byteLength < offset + w) return fail('length-mismatch', `origin's body ended before ${where}`);
      return compare(body.subarray(offset, offset + w), offset) ?? passed('spot-check', checked, cost);
    }
    if (response.status !== 206) {
      res.close();
      return fail('origin-error', `HTTP ${response.status} for ${where}`);
    }
    const range = CONTENT_RANGE.exec(header('Content-Range'));
    if (!range || Number(range[1]) !== first) {
      res.close();
      return fail('origin-error', `206 with Content-Range "${header('Content-Range')}" for ${where}`);
    }
    if (range[3] === '*') {
      res.close();
      return fail('origin-error', `origin gave no total length for ${where}`);
    }
    const total = Number(range[3]);
    if (byteRange && total < byteRange.end) {
      res.close();
      return fail('origin-error', `origin's file has ${total} bytes, the range ends at ${byteRange.end} (${url})`);
    }
    if (!byteRange && total !== n) {
      res.close();
      return fail('length-mismatch', `${n} bytes, origin has ${total} (${url})`);
    }
    const body = await res.read(w + 1);
    cost.cdnBytes = body.byteLength;
    if (body.byteLength !== Math.min(w, Number(range[2]) - first + 1) || body.byteLength !== w) {
      return fail('origin-error', `origin sent ${body.byteLength} bytes for ${where}`);
    }
    return compare(body, offset) ?? passed('spot-check', checked, cost);
  } catch (e) {
    if (e instanceof AbortedError) return fail('aborted', `aborted while checking ${where}`);
    return fail('origin-error', `origin did not answer the check: ${e instanceof Error ? e.message : String(e)}`);
  }
}
