/**
 * The slice of the swarmcast engine this integration talks to. Typed structurally (a `Pick` of the real
 * Engine) so tests can hand in a small fake and players can share one engine between integrations.
 */
import type { Engine } from '../../core/index.js';

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

/** Where a fragment goes in the engine. */
export interface SegmentTarget {
  streamId: string;
  segmentId: string;
}
