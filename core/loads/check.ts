import type { Verdict } from '../integrity/verdict.js';
import type { Transport } from '../transport/types.js';
import type { SegmentValidator } from '../types.js';
import type { Load } from './load.js';

/** What the checks of a complete segment concluded. */
export interface CheckOutcome {
  /** Why the bytes are refused; undefined when they passed. */
  problem: string | undefined;
  /** The peers that sent bytes delivered wrong ones: ban them (false when a check could not conclude). */
  blame: boolean;
  /** The origin's verdict on bytes from peers (undefined: HTTP bytes only, or integrity off). */
  verdict: Verdict | undefined;
}

export interface CheckContext {
  validate: SegmentValidator | undefined;
  /** Bytes from peers are vouched for by the origin through the transport, unless integrity is off. */
  integrityOn: boolean;
  transport: Transport;
  manifestUrl: string;
  hashListUrl: string | undefined;
  /** Ends the origin's check early (the bytes were thrown away meanwhile). */
  signal?: AbortSignal;
}

const passed: CheckOutcome = { problem: undefined, blame: false, verdict: undefined };

/**
 * The checks a complete segment passes before it is stored, announced, uploaded or delivered: its size (the byte
 * range, or what the source said the total was), the integrator's validator, then — for bytes that came from a
 * peer — the origin's word (hash list or spot check). Synchronous when nothing asynchronous has to run.
 */
export function checkSegment(load: Load, c: CheckContext): CheckOutcome | Promise<CheckOutcome> {
  const seg = load.segment;
  const data = load.data();
  const fromPeers = load.peers.size > 0;
  const expected = seg.byteRange ? seg.byteRange.end - seg.byteRange.start : load.totalBytes;
  if (expected !== undefined && data.byteLength !== expected)
    return { problem: 'size mismatch', blame: fromPeers, verdict: undefined };
  const integrity = (): CheckOutcome | Promise<CheckOutcome> => {
    if (!fromPeers || !c.integrityOn) return passed;
    const request = {
      url: seg.url,
      byteRange: seg.byteRange,
      manifestUrl: c.manifestUrl,
      hashListUrl: c.hashListUrl,
      live: load.stream.live,
      peerSpans: load.spans,
    };
    return c.transport.verify(request, data, c.signal).then((verdict) => ({
      problem: verdict.ok ? undefined : `integrity: ${verdict.detail}`,
      blame: verdict.blame,
      verdict,
    }));
  };
  if (!c.validate) return integrity();
  const refused: CheckOutcome = { problem: 'validation failed', blame: fromPeers, verdict: undefined };
  try {
    const ok = c.validate(seg, data, fromPeers ? 'p2p' : 'http', load.finishedVia?.peerId);
    if (typeof ok === 'boolean') return ok ? integrity() : refused;
    return ok.then(
      (pass) => (pass ? integrity() : refused),
      () => refused,
    );
  } catch {
    return refused;
  }
}
