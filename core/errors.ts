/** Errors are data with a `type`; every rejection from the engine is a SwarmcastError. */
export type SwarmcastErrorType =
  | 'aborted' // the caller's signal fired or the engine dropped the request
  | 'http-error' // the server answered with a non-2xx status (see `status`)
  | 'timeout' // no first byte / no progress within the configured time
  | 'network-error' // fetch failed (DNS, CORS, connection reset)
  | 'validation-failed' // the bytes failed the size check or validateSegment (HTTP bytes: nothing to fall back to)
  | 'unknown-segment' // the stream or segment id was never described with updateSegments
  | 'invalid-settings'
  | 'destroyed' // the engine was destroyed while the request was pending
  // A peer transfer failed (the engine fell back to HTTP or another peer; reported by the `peer-error` event):
  | 'peer-absent' // the peer no longer holds the segment it announced
  | 'peer-busy' // the peer serves as many uploads as it will
  | 'peer-closed' // the connection went away mid-transfer
  | 'peer-protocol-error'; // the peer sent something malformed and was dropped

export class SwarmcastError extends Error {
  constructor(
    readonly type: SwarmcastErrorType,
    message: string,
    /** HTTP status for `http-error`. */
    readonly status?: number,
    /** What went wrong underneath (a fetch TypeError, the P2P layer's error), kept for diagnostics. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SwarmcastError';
  }
}

export function isSwarmcastError(e: unknown): e is SwarmcastError {
  return e instanceof SwarmcastError;
}
