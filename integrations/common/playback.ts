/** What every engine integration shares: the slice of the engine it uses and how it reads the buffer. */
import type { Engine } from '../../core/index.js';

/**
 * The engine methods integrations use. Typed structurally (a `Pick` of the real Engine) so tests can hand in a
 * small fake and players can share one engine between integrations.
 */
export type EngineLike = Pick<
  Engine,
  | 'setContent'
  | 'addStream'
  | 'updateSegments'
  | 'setActiveStream'
  | 'updatePlayback'
  | 'loadSegment'
  | 'estimateBandwidthBytesPerSec'
  | 'getStats'
  | 'on'
  | 'off'
  | 'destroy'
>;

/** `TimeRanges` as media elements and Video.js players expose it. */
export interface TimeRangesLike {
  readonly length: number;
  start(index: number): number;
  end(index: number): number;
}

/** End of the buffered range holding the playhead (small gaps players jump over count as buffered). */
export function bufferedEnd(ranges: TimeRangesLike, positionSec: number, gapSec = 0.5): number {
  let end = positionSec;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges.start(i) <= end + gapSec && ranges.end(i) > end) end = ranges.end(i);
  }
  return end;
}
