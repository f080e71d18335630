import { SwarmcastError } from '../errors.js';
import type { ByteRange, HttpRequestInit, HttpRequestSetup } from '../types.js';

export interface HttpLoadParams {
  url: string;
  /** Segment's range in the resource (end exclusive); undefined = whole resource. */
  byteRange: ByteRange | undefined;
  /** Resume offset relative to the segment start. */
  fromByte: number;
  fetch: typeof fetch;
  signal: AbortSignal | undefined;
  ttfbTimeoutMs: number;
  noProgressTimeoutMs: number;
  retries: number;
  retryDelayMs: number;
  requestSetup: HttpRequestSetup | undefined;
  /** Bytes in order, starting at `fromByte`; `totalBytes` is the whole segment size when known. */
  onData: (chunk: Uint8Array, totalBytes: number | undefined) => void;
  onFirstByte?: () => void;
}

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new SwarmcastError('aborted', 'aborted'));
    });
  });

/**
 * Streams one segment (or its tail from `fromByte`) over fetch. Retries network errors, timeouts and 5xx with
 * exponential back-off, each retry resuming from the byte reached. Resolves with the total bytes delivered.
 */
export async function httpLoad(p: HttpLoadParams): Promise<number> {
  let offset = p.fromByte;
  for (let attempt = 0; ; attempt++) {
    try {
      await attemptOnce(p, offset, (chunk, total) => {
        offset += chunk.byteLength;
        p.onData(chunk, total);
      });
      return offset - p.fromByte;
    } catch (e) {
      const err = toError(e, p.signal);
      const retryable = err.type === 'network-error' || err.type === 'timeout' || (err.status ?? 0) >= 500;
      if (!retryable || attempt >= p.retries) throw err;
      await sleep(p.retryDelayMs * 2 ** attempt, p.signal);
    }
  }
}

function toError(e: unknown, signal: AbortSignal | undefined): SwarmcastError {
  if (signal?.aborted) return new SwarmcastError('aborted', 'aborted');
  if (e instanceof SwarmcastError) return e;
  return new SwarmcastError('network-error', e instanceof Error ? e.message : String(e));
}

async function attemptOnce(
  p: HttpLoadParams,
  offset: number,
  onData: (chunk: Uint8Array, total: number | undefined) => void,
): Promise<void> {
  const base = p.byteRange?.start ?? 0;
  const absStart = base + offset;
  const absEnd = p.byteRange?.end; // exclusive
  let req: HttpRequestInit = { url: p.url, headers: {} };
  const ranged = absStart > 0 || absEnd !== undefined;
  if (ranged) req.headers.Range = `bytes=${absStart}-${absEnd === undefined ? '' : absEnd - 1}`;
  if (p.requestSetup) req = await p.requestSetup(req);

  const ctrl = new AbortController();
  let timeoutError: SwarmcastError | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (ms: number, what: string): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timeoutError = new SwarmcastError('timeout', `${what} timeout after ${ms} ms: ${p.url}`);
      ctrl.abort();
    }, ms);
  };
  const onAbort = (): void => ctrl.abort();
  p.signal?.addEventListener('abort', onAbort);
  if (p.signal?.aborted) ctrl.abort();
  try {
    arm(p.ttfbTimeoutMs, 'first byte');
    const doFetch = p.fetch; // called unbound: a native fetch invoked as a method of `p` throws "Illegal invocation"
    const res = await doFetch(req.url, {
      headers: req.headers,
      signal: ctrl.signal,
      ...(req.credentials ? { credentials: req.credentials } : {}),
    });
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      throw new SwarmcastError('http-error', `HTTP ${res.status} for ${p.url}`, res.status);
    }
    p.onFirstByte?.();
    arm(p.noProgressTimeoutMs, 'no progress');
    // `skip`/`limit` let a 200 answer to a ranged request be sliced to the wanted bytes.
    let skip = 0;
    let limit = absEnd === undefined ? Infinity : absEnd - absStart;
    let total: number | undefined = absEnd === undefined ? undefined : absEnd - base;
    const len = Number(res.headers.get('Content-Length') ?? NaN);
    if (res.status === 206) {
      const cr = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('Content-Range') ?? '');
      if (cr && Number(cr[1]) !== absStart)
        throw new SwarmcastError('http-error', `bad Content-Range for ${p.url}`, 206);
      if (total === undefined && cr?.[3] && cr[3] !== '*') total = Number(cr[3]) - base;
    } else {
      skip = ranged ? absStart : 0;
      if (total === undefined && len >= 0) total = len;
    }
    if (!res.body) throw new SwarmcastError('network-error', `no body for ${p.url}`);
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      arm(p.noProgressTimeoutMs, 'no progress');
      let chunk = value;
      if (skip > 0) {
        const n = Math.min(skip, chunk.byteLength);
        skip -= n;
        chunk = chunk.subarray(n);
      }
      if (chunk.byteLength > limit) chunk = chunk.subarray(0, limit);
      limit -= chunk.byteLength;
      if (chunk.byteLength > 0) onData(chunk, total);
      if (limit <= 0) {
        void reader.cancel().catch(() => undefined);
        break;
      }
    }
    if (limit > 0 && limit !== Infinity) throw new SwarmcastError('network-error', `short body for ${p.url}`);
  } catch (e) {
    throw timeoutError ?? toError(e, p.signal);
  } finally {
    clearTimeout(timer);
    p.signal?.removeEventListener('abort', onAbort);
    // Every way out releases the request: a body left unread (a throw mid-body, a bad Content-Range) would keep its
    // connection busy, and a browser has six per host for the player's own requests too. A no-op once read.
    ctrl.abort();
  }
}
