/**
 * Serving one tagged request through the engine, as a Shaka scheme plugin must: an AbortableOperation whose
 * abort rejects with OPERATION_ABORTED, Shaka errors for failures, and a Response whose `timeMs`/`fromCache`
 * keep Shaka's bandwidth estimate where HTTP put it.
 *
 * ABR: after a SEGMENT request that reported no progress, Shaka samples `bytes / timeMs` (skipped when
 * `fromCache`). A peer or the engine's store delivers "instantly", which would make Shaka switch up and then stall
 * on HTTP. So deliveries faster than HTTP currently is are reported as taking the time HTTP would have needed at
 * the HTTP-only estimate (the sample then equals the estimate); a slow HTTP transfer keeps its real time (Shaka
 * must see a bad network at once). With no estimate at all, P2P and cache deliveries are `fromCache` (no sample).
 */
import { isSwarmcastError, type LoadResult } from '../../core/index.js';
import type { EngineLike, ShakaNamespace, ShakaOperation, ShakaRequest, ShakaResponse } from './types.js';

export interface ServeTarget {
  streamId: string;
  segmentId: string;
}

/** Bytes/s used for neutral timing: the engine's HTTP-only estimate, else Shaka's own current estimate. */
export type NeutralRate = () => number | undefined;

export interface AbrTiming {
  timeMs?: number;
  fromCache?: boolean;
}

export function abrTiming(r: LoadResult, neutralBytesPerSec: number | undefined): AbrTiming {
  const elapsedMs = Math.max(0, r.timing.endMs - r.timing.requestStartMs);
  const neutral = neutralBytesPerSec !== undefined && neutralBytesPerSec > 0 ? neutralBytesPerSec : undefined;
  if (neutral === undefined) return r.source === 'http' ? { timeMs: elapsedMs } : { fromCache: true };
  if (r.source === 'http' && elapsedMs > 0 && r.bytes / (elapsedMs / 1000) <= neutral) return { timeMs: elapsedMs };
  return { timeMs: (r.bytes / neutral) * 1000 };
}

export function serveFromEngine(
  shaka: ShakaNamespace,
  engine: EngineLike,
  target: ServeTarget,
  call: { uri: string; request: ShakaRequest; requestType: number; fallback: () => ShakaOperation },
  neutralRate: NeutralRate,
): ShakaOperation {
  const { Error: ShakaError } = shaka.util;
  const controller = new AbortController();
  let fallbackOp: ShakaOperation | undefined;
  const aborted = (): InstanceType<typeof ShakaError> =>
    new ShakaError(
      ShakaError.Severity.RECOVERABLE,
      ShakaError.Category.NETWORK,
      ShakaError.Code.OPERATION_ABORTED,
      call.uri,
      call.requestType,
    );
  const served = engine.loadSegment(target.streamId, target.segmentId, { signal: controller.signal }).then(
    (result): ShakaResponse => {
      if (controller.signal.aborted) throw aborted();
      const ranged = Object.keys(call.request.headers).some((k) => k.toLowerCase() === 'range');
      return {
        uri: call.uri,
        originalUri: call.uri,
        data: result.data,
        headers: {},
        originalRequest: call.request,
        status: ranged ? 206 : 200,
        ...abrTiming(result, neutralRate()),
      };
    },
    (error: unknown): Promise<ShakaResponse> => {
      if (controller.signal.aborted) throw aborted();
      // The live list moved on between the filter and now: the player's own HTTP plugin does it.
      if (isSwarmcastError(error) && error.type === 'unknown-segment') {
        fallbackOp = call.fallback();
        return fallbackOp.promise;
      }
      throw toShakaError(shaka, error, call.uri, call.requestType);
    },
  );
  // Shaka waits for an aborted operation's promise to settle before it fetches anything else for that stream, so
  // abort must reject at once, whenever the engine gets round to noticing the signal (it may be mid-way through a
  // store read, or joined to a download that keeps running for prefetch).
  let rejectNow: (error: unknown) => void = () => undefined;
  const abortedNow = new Promise<never>((_resolve, reject) => (rejectNow = reject));
  served.catch(() => undefined); // settled after an abort: nobody listens any more
  const promise = Promise.race([served, abortedNow]);
  return new shaka.util.AbortableOperation(promise, () => {
    controller.abort();
    rejectNow(aborted());
    if (fallbackOp) return fallbackOp.abort() as Promise<unknown>;
    return Promise.resolve();
  });
}

/** Engine failures as the Shaka errors its HTTP plugin would have raised, so Shaka's retry logic applies. */
export function toShakaError(shaka: ShakaNamespace, error: unknown, uri: string, requestType: number): Error {
  const { Error: ShakaError } = shaka.util;
  const { RECOVERABLE } = ShakaError.Severity;
  const { NETWORK } = ShakaError.Category;
  const { Code } = ShakaError;
  if (!isSwarmcastError(error)) return new ShakaError(RECOVERABLE, NETWORK, Code.HTTP_ERROR, uri, error, requestType);
  switch (error.type) {
    case 'aborted':
    case 'destroyed':
      return new ShakaError(RECOVERABLE, NETWORK, Code.OPERATION_ABORTED, uri, requestType);
    case 'http-error':
      return new ShakaError(
        RECOVERABLE,
        NETWORK,
        Code.BAD_HTTP_STATUS,
        uri,
        error.status ?? 0,
        '',
        {},
        requestType,
        uri,
      );
    case 'timeout':
      return new ShakaError(RECOVERABLE, NETWORK, Code.TIMEOUT, uri, requestType);
    default:
      return new ShakaError(RECOVERABLE, NETWORK, Code.HTTP_ERROR, uri, error, requestType);
  }
}
