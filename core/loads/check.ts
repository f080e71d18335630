import type { SegmentValidator } from '../types.js';
import type { Load } from './load.js';

/**
 * The checks a complete segment passes before it is stored, announced or delivered: its size (the byte range, or
 * what the source said the total was), then the integrator's validator. Returns the problem, or undefined when it
 * passed; synchronous unless the validator is asynchronous.
 */
export function checkSegment(
  load: Load,
  validate: SegmentValidator | undefined,
): string | undefined | Promise<string | undefined> {
  const seg = load.segment;
  const data = load.data();
  const expected = seg.byteRange ? seg.byteRange.end - seg.byteRange.start : load.totalBytes;
  if (expected !== undefined && data.byteLength !== expected) return 'size mismatch';
  if (!validate) return undefined;
  const source = load.peers.size > 0 ? 'p2p' : 'http';
  try {
    const ok = validate(seg, data, source, load.finishedVia?.peerId);
    if (typeof ok === 'boolean') return ok ? undefined : 'validation failed';
    return ok.then(
      (passed) => (passed ? undefined : 'validation failed'),
      () => 'validation failed',
    );
  } catch {
    return 'validation failed';
  }
}
