import type { SimOptions } from './options.js';
import { hashUnit } from './random.js';

export interface SimSegment {
  id: string;
  index: number;
  startSec: number;
  durationSec: number;
  sizeBytes: number;
}

/** Index of the live edge segment at virtual time 0: the stream has been running for a while. */
const LIVE_FIRST_INDEX = 1000;

/**
 * One rendition, 2 s segments by default. Live: segment k is published (appended to the playlist) when it is
 * complete, one every segment duration; the playlist keeps the last `liveWindowSegments`. VOD: a fixed list.
 */
export class StreamModel {
  readonly live: boolean;
  readonly segmentMs: number;
  /** What the engine assumes before a size is known (the playlist's declared bandwidth × duration). */
  readonly estimatedSizeBytes: number;
  private readonly cache = new Map<number, SimSegment>();

  constructor(private readonly o: SimOptions) {
    this.live = o.stream === 'live';
    this.segmentMs = o.segmentSec * 1000;
    this.estimatedSizeBytes = Math.round(((o.bitrateKbps * 1000) / 8) * o.segmentSec);
  }

  segment(index: number): SimSegment {
    let seg = this.cache.get(index);
    if (!seg) {
      // VBR: ±20 % around the average, fixed per segment so every viewer sees the same bytes.
      const spread = 0.8 + 0.4 * hashUnit(this.o.seed, `size${index}`);
      seg = {
        id: `${this.live ? 'L' : 'V'}${index}`,
        index,
        startSec: index * this.o.segmentSec,
        durationSec: this.o.segmentSec,
        sizeBytes: Math.round(this.estimatedSizeBytes * spread),
      };
      this.cache.set(index, seg);
    }
    return seg;
  }

  /** The segment of an id made by `segment()` (its index follows the L/V prefix). */
  byId(id: string): SimSegment {
    return this.segment(Number(id.slice(1)));
  }

  /** Last segment listed at `nowMs` (live: the newest complete one). */
  lastIndex(nowMs: number): number {
    if (this.live) return LIVE_FIRST_INDEX + Math.floor(nowMs / this.segmentMs);
    return Math.ceil(this.o.vodDurationSec / this.o.segmentSec) - 1;
  }

  /** First segment listed when the newest is `last`. */
  firstIndex(last: number): number {
    return this.live ? last - this.o.liveWindowSegments + 1 : 0;
  }

  /** Live: drop cached segment descriptors long gone from every playlist. */
  forgetBefore(index: number): void {
    if (!this.live) return;
    for (const k of this.cache.keys()) if (k < index) this.cache.delete(k);
  }
}
