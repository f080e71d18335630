import type { ByteRange, HttpRequestSetup } from '../types.js';
import { hex, sha256 } from './hash.js';
import { defaultHashListUrl } from './hash-list.js';
import { HASH_LIST_DEFAULTS, HashListSource, type HashListSourceOptions } from './hash-list-source.js';
import { AbortedError } from './origin-fetch.js';
import { SPOT_CHECK_DEFAULTS, secureRandom, spotCheck, type PeerSpan, type SpotCheckOptions } from './spot-check.js';
import { failed, passed, type CheckCost, type IntegrityMode, type Verdict } from './verdict.js';

export interface VerifierOptions {
  /**
   * 'auto': the origin's hash list when it publishes one that lists the segment, else the spot check.
   * 'hash-list': the hash list only (a segment it cannot vouch for fails, unblamed). 'spot-check': never look for a
   * list. 'off': every segment passes unchecked.
   */
  mode: IntegrityMode;
  fetch: typeof fetch;
  httpRequestSetup?: HttpRequestSetup | undefined;
  /** Uniform in [0, 1) and unpredictable to peers (default: crypto.getRandomValues). */
  random?: () => number;
  /** Milliseconds, monotonic (default: performance.now). */
  now?: () => number;
  /** The hash list's URL; default: `segments-sha256.json` in the manifest's directory. */
  hashListUrl?: string | undefined;
  /** Tuning for tests and benchmarks; defaults in HASH_LIST_DEFAULTS and SPOT_CHECK_DEFAULTS. */
  hashList?: Partial<Pick<HashListSourceOptions, 'refetchIntervalMs' | 'maxWaitMs' | 'retryAfterMs' | 'timeoutMs'>>;
  spotCheck?: Partial<Pick<SpotCheckOptions, 'windowFraction' | 'minWindowBytes' | 'maxWindowBytes' | 'timeoutMs'>>;
}

export interface VerifySegment {
  url: string;
  /** End exclusive, as in SegmentDescriptor. */
  byteRange?: ByteRange | undefined;
}

export interface VerifyOptions {
  /** Live content: a segment missing from the hash list may be newer than the list, so it is refetched. */
  live?: boolean;
  /** Abort when the segment is needed sooner than the check can end (the verdict is then 'aborted'). */
  signal?: AbortSignal;
  /** This content's hash list (the integrator gave it with the content); overrides `hashListUrl` and the default. */
  hashListUrl?: string | undefined;
  /** Which bytes each peer sent, when the copy is pieced from several sources (the spot check looks there). */
  peerSpans?: readonly PeerSpan[];
}

export interface Verifier {
  readonly mode: IntegrityMode;
  /** Checks bytes a peer delivered as `segment` of the content whose manifest is at `manifestUrl`. Never rejects. */
  verify(segment: VerifySegment, bytes: Uint8Array, manifestUrl: string, opts?: VerifyOptions): Promise<Verdict>;
  destroy(): void;
}

const MODES: readonly IntegrityMode[] = ['auto', 'hash-list', 'spot-check', 'off'];

export function createVerifier(options: VerifierOptions): Verifier {
  if (!MODES.includes(options.mode)) {
    throw new RangeError(`integrity mode must be one of ${MODES.join(', ')}, got "${options.mode as string}"`);
  }
  const now = options.now ?? (() => performance.now());
  const listOptions: HashListSourceOptions = {
    fetch: options.fetch,
    httpRequestSetup: options.httpRequestSetup,
    now,
    ...HASH_LIST_DEFAULTS,
    ...options.hashList,
  };
  const lists = new HashListSource(listOptions);
  const spot: SpotCheckOptions = {
    fetch: options.fetch,
    httpRequestSetup: options.httpRequestSetup,
    random: options.random ?? secureRandom,
    ...SPOT_CHECK_DEFAULTS,
    ...options.spotCheck,
  };
  const destroyed = new AbortController();

  async function byList(
    segment: VerifySegment,
    bytes: Uint8Array,
    manifestUrl: string,
    opts: VerifyOptions,
    signal: AbortSignal,
  ): Promise<Verdict> {
    const mode = options.mode;
    const range = segment.byteRange;
    const noCost: CheckCost = { cdnBytes: 0, cdnRequests: 0 };
    // A wrong length needs no list and no request.
    if (range && bytes.byteLength !== range.end - range.start) {
      const detail = `${bytes.byteLength} bytes for a ${range.end - range.start}-byte range of ${segment.url}`;
      return failed(mode === 'spot-check' ? 'spot-check' : 'hash-list', 'length-mismatch', detail, noCost);
    }
    if (mode === 'spot-check') return spotCheck(spot, segment.url, range, bytes, signal, opts.peerSpans);
    const listUrl = opts.hashListUrl ?? options.hashListUrl ?? defaultHashListUrl(manifestUrl);
    // 'auto' waits for one refetch at most: the spot check answers sooner than a list that lags the live edge.
    const maxWaitMs = mode === 'auto' ? listOptions.refetchIntervalMs : listOptions.maxWaitMs;
    const found = await lists.lookup(listUrl, segment.url, range, { live: opts.live === true, signal, maxWaitMs });
    const cost: CheckCost = { cdnBytes: found.cdnBytes, cdnRequests: found.cdnRequests };
    const r = found.result;
    if (r.kind === 'hash') {
      const actual = hex(await sha256(bytes));
      if (actual === r.digestHex) return passed('hash-list', `SHA-256 matches ${listUrl}`, cost);
      return failed('hash-list', 'hash-mismatch', `SHA-256 ${actual} ≠ ${r.digestHex} listed for ${segment.url}`, cost);
    }
    if (mode === 'hash-list') {
      const detail =
        r.kind === 'list-error'
          ? r.message
          : r.kind === 'absent-list'
            ? `no hash list at ${listUrl}`
            : `${segment.url} is not in ${listUrl}`;
      return failed('hash-list', r.kind, detail, cost);
    }
    const checked = await spotCheck(spot, segment.url, range, bytes, signal, opts.peerSpans);
    return {
      ...checked,
      cdnBytes: checked.cdnBytes + cost.cdnBytes,
      cdnRequests: checked.cdnRequests + cost.cdnRequests,
    };
  }

  return {
    mode: options.mode,
    async verify(segment, bytes, manifestUrl, opts = {}) {
      const noCost: CheckCost = { cdnBytes: 0, cdnRequests: 0 };
      if (options.mode === 'off') return passed('none', 'integrity checks are off', noCost);
      const signal = opts.signal ? AbortSignal.any([opts.signal, destroyed.signal]) : destroyed.signal;
      const method = options.mode === 'spot-check' ? 'spot-check' : 'hash-list';
      if (signal.aborted) return failed(method, 'aborted', `aborted before checking ${segment.url}`, noCost);
      try {
        return await byList(segment, bytes, manifestUrl, opts, signal);
      } catch (e) {
        if (e instanceof AbortedError)
          return failed(method, 'aborted', `aborted while checking ${segment.url}`, noCost);
        return failed(method, 'origin-error', `check failed: ${e instanceof Error ? e.message : String(e)}`, noCost);
      }
    },
    destroy() {
      destroyed.abort();
      lists.destroy();
    },
  };
}
