/** What every engine integration shares: the slice of the engine it uses, and how it reports playback. */
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
  | 'applySettings'
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

/** The events after which playback is worth reporting: the playhead moved, jumped, paused, or the buffer grew. */
export const PLAYBACK_EVENTS = [
  'timeupdate',
  'seeking',
  'seeked',
  'ratechange',
  'pause',
  'play',
  'playing',
  'progress',
];

/** Where playback is read from: a media element, or a player with the same getters (Video.js). */
export interface PlaybackSource {
  read(): { positionSec: number; paused: boolean; rate: number; buffered: TimeRangesLike };
  /** Calls `fn` after each of PLAYBACK_EVENTS; returns the function that stops it. */
  listen(fn: () => void): () => void;
}

export function mediaElementSource(media: HTMLMediaElement): PlaybackSource {
  return {
    read: () => ({
      positionSec: media.currentTime,
      paused: media.paused,
      rate: media.playbackRate,
      buffered: media.buffered,
    }),
    listen: (fn) => {
      for (const type of PLAYBACK_EVENTS) media.addEventListener(type, fn);
      return () => {
        for (const type of PLAYBACK_EVENTS) media.removeEventListener(type, fn);
      };
    },
  };
}

/** Reports a source's playback to the engine on every playback event, and once when attached. */
export class PlaybackReporter {
  private stop: (() => void) | undefined;

  constructor(private readonly engine: Pick<EngineLike, 'updatePlayback'>) {}

  /** Reports from `source` (undefined: stop reporting). */
  attach(source: PlaybackSource | undefined): void {
    this.stop?.();
    this.stop = undefined;
    if (!source) return;
    const report = (): void => {
      const p = source.read();
      this.engine.updatePlayback({
        positionSec: p.positionSec,
        rate: p.paused ? 0 : p.rate,
        bufferedEndSec: bufferedEnd(p.buffered, p.positionSec),
      });
    };
    this.stop = source.listen(report);
    report();
  }

  destroy(): void {
    this.attach(undefined);
  }
}
