/**
 * Answering one dash.js request through the engine, as dash.js's XHRLoader would: the response fields, then the
 * handlers HTTPLoader set on the request (`onprogress`, then `onloadend`; `onabort` when aborted; `ontimeout`
 * then `onloadend` after the request's own timeout). HTTPLoader does the rest exactly as for an XHR: response
 * interceptors, metrics, retries (a retry goes to the plain XHRLoader), errors.
 *
 * ABR: dash.js measures a request's throughput from the progress trace HTTPLoader records (bytes after the first
 * progress event over the durations after it; an event's `time` is taken as its duration) unless the Resource
 * Timing API has an entry for the URL. A peer or the engine's store delivers "instantly", which would make dash.js
 * switch up and then stall on HTTP. So deliveries faster than HTTP currently is are reported as two progress
 * events whose trace says the bytes took the time HTTP would have needed at the HTTP-only estimate (the sample
 * then equals the estimate); a slow HTTP transfer reports its real first-byte and transfer times. With no
 * estimate at all, peer and store deliveries report one event: a one-entry trace gives dash.js no sample.
 */
import { isSwarmcastError, type LoadResult } from '../../core/index.js';
import type { EngineLike, LoaderProgress, LoaderRequest, LoaderResponse } from './types.js';

export interface ServeTarget {
  streamId: string;
  segmentId: string;
}

/** Bytes/s for neutral timing: the engine's HTTP-only estimate, else dash.js's own (undefined: none yet). */
export type NeutralRate = () => number | undefined;

/** The progress events reporting a finished engine load to dash.js's throughput estimate. */
export function abrProgress(r: LoadResult, neutralBytesPerSec: number | undefined): LoaderProgress[] {
  const n = r.bytes;
  const event = (loaded: number, time: number): LoaderProgress => ({
    loaded,
    total: n,
    lengthComputable: true,
    time: Math.max(1, time),
  });
  const elapsedMs = Math.max(0, r.timing.endMs - r.timing.requestStartMs);
  const neutral = neutralBytesPerSec !== undefined && neutralBytesPerSec > 0 ? neutralBytesPerSec : undefined;
  const slowHttp = r.source === 'http' && elapsedMs > 0 && (neutral === undefined || n / (elapsedMs / 1000) <= neutral);
  if (slowHttp) {
    const ttfbMs = Math.min(elapsedMs, Math.max(0, r.timing.firstByteMs - r.timing.requestStartMs));
    return [event(0, ttfbMs), event(n, elapsedMs - ttfbMs)];
  }
  if (neutral === undefined) return [event(n, elapsedMs)];
  return [event(0, 1), event(n, (n / neutral) * 1000)];
}

export interface ServeCall {
  request: LoaderRequest;
  response: LoaderResponse;
  /** Hands the same request to dash.js's own XHRLoader (a request the engine cannot answer after all). */
  fallback: () => void;
}

/** Serves the request from the engine; returns the function that cancels it silently (loader reset). */
export function serveFromEngine(
  engine: EngineLike,
  target: ServeTarget,
  call: ServeCall,
  neutralRate: NeutralRate,
): () => void {
  const { request, response } = call;
  const handlers = request.customData ?? {};
  request.customData = handlers;
  const controller = new AbortController();
  let settled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settle = (): boolean => {
    if (settled) return false;
    settled = true;
    if (timer !== undefined) clearTimeout(timer);
    return true;
  };
  // HTTPLoader.abort() clears onloadend/onprogress first, then calls this; XHR then fires onabort.
  handlers.abort = () => {
    if (!settle()) return;
    controller.abort();
    handlers.onabort?.();
  };
  const timeoutMs = request.timeout !== undefined && request.timeout > 0 ? request.timeout : 0;
  if (timeoutMs > 0) {
    timer = setTimeout(() => {
      if (!settle()) return;
      controller.abort();
      handlers.ontimeout?.({ loaded: 0, total: 0, lengthComputable: false });
      response.status = 0;
      handlers.onloadend?.();
    }, timeoutMs);
  }
  engine
    .loadSegment(target.streamId, target.segmentId, {
      signal: controller.signal,
      ...(timeoutMs > 0 ? { playerTimeoutMs: timeoutMs } : {}),
    })
    .then(
      (result) => {
        if (!settle()) return;
        const ranged = Object.keys(request.headers ?? {}).some((k) => k.toLowerCase() === 'range');
        response.url = request.url;
        response.status = ranged ? 206 : 200;
        response.statusText = ranged ? 'Partial Content' : 'OK';
        response.headers = {};
        response.data = result.data;
        for (const event of abrProgress(result, neutralRate())) handlers.onprogress?.(event);
        handlers.onloadend?.();
      },
      (error: unknown) => {
        if (settled) return;
        // The list moved on (live), the content changed or the engine went away: dash.js's XHR does it.
        if (isSwarmcastError(error) && ['unknown-segment', 'aborted', 'destroyed'].includes(error.type)) {
          settle();
          call.fallback();
          return;
        }
        settle();
        // As an XHR: an HTTP status when there was one, else 0 (a network error); HTTPLoader then retries.
        response.status = isSwarmcastError(error) && error.type === 'http-error' ? (error.status ?? 0) : 0;
        response.statusText = error instanceof Error ? error.message : String(error);
        handlers.onloadend?.();
      },
    );
  return () => {
    if (settle()) controller.abort();
  };
}
