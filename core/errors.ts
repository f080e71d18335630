/** Errors are data with a `type`; every rejection from the engine is a SwarmcastError. */
export type SwarmcastErrorType =
  | 'aborted' // the caller's signal fired or the engine dropped the request
  | 'http-error' // the server answered with a non-2xx status (see `status`)
  | 'timeout' // no first byte / no progress within the configured time
  | 'network-error' // fetch failed (DNS, CORS, connection reset)
  | 'validation-failed' // validateSegment rejected HTTP bytes
  | 'unknown-segment' // the stream or segment id was never described with updateSegments
  | 'invalid-settings'
  | 'destroyed'; // the engine was destroyed while the request was pending

export class SwarmcastError extends Error {
  constructor(
    readonly type: SwarmcastErrorType,
    message: string,
    /** HTTP status for `http-error`. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SwarmcastError';
  }
}

export function isSwarmcastError(e: unknown): e is SwarmcastError {
  return e instanceof SwarmcastError;
}
