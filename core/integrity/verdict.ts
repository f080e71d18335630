/** Outcome of checking one segment that came from a peer. */

export type IntegrityMode = 'auto' | 'hash-list' | 'spot-check' | 'off';

export type VerdictReason =
  /** The bytes' SHA-256 differs from the origin's hash list (sender to blame). */
  | 'hash-mismatch'
  /** The bytes are not as long as the origin's resource or byte range (sender to blame). */
  | 'length-mismatch'
  /** A random window of the bytes differs from the same window fetched from the origin (sender to blame). */
  | 'window-mismatch'
  /** 'hash-list' mode: the list exists but has no entry for the segment, even after waiting for it (live). */
  | 'not-listed'
  /** 'hash-list' mode: the origin publishes no list for this content. */
  | 'absent-list'
  /** 'hash-list' mode: the list could not be fetched or read. */
  | 'list-error'
  /** The origin did not answer the check usably (error status, network, timeout, no length, encoded body). */
  | 'origin-error'
  /** The origin ignored a Range request on a byte-range segment: checking would cost its whole file. */
  | 'range-unsupported'
  /** The caller's signal fired, or the verifier was destroyed. */
  | 'aborted';

export interface Verdict {
  /** The bytes may be handed to the player, stored, announced and uploaded. */
  ok: boolean;
  /** How the bytes were checked ('none': integrity is off). */
  method: 'hash-list' | 'spot-check' | 'none';
  /** Why the check did not pass; undefined when `ok`. */
  reason: VerdictReason | undefined;
  /**
   * The sender delivered wrong bytes: ban it. False whenever the check itself could not conclude (origin errors,
   * missing lists, aborts): those bytes are not used either, but the peer is not blamed for the origin.
   */
  blame: boolean;
  /** Human-readable account, fit for a `peer-banned` reason or a log line. */
  detail: string;
  /** Bytes the check read from the origin (bodies: hash lists and Range windows; headers not counted). */
  cdnBytes: number;
  /** Requests the check sent to the origin. */
  cdnRequests: number;
}

export interface CheckCost {
  cdnBytes: number;
  cdnRequests: number;
}

export function passed(method: Verdict['method'], detail: string, cost: CheckCost): Verdict {
  return { ok: true, method, reason: undefined, blame: false, detail, ...cost };
}

export function failed(method: Verdict['method'], reason: VerdictReason, detail: string, cost: CheckCost): Verdict {
  const blame = reason === 'hash-mismatch' || reason === 'length-mismatch' || reason === 'window-mismatch';
  return { ok: false, method, reason, blame, detail, ...cost };
}
