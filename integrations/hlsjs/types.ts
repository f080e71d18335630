/** Types of the hls.js integration; the engine slice every integration uses lives in ../common. */
export type { EngineLike } from '../common/playback.js';

/** Where a fragment goes in the engine. */
export interface SegmentTarget {
  streamId: string;
  segmentId: string;
}
