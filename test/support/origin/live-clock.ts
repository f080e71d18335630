/** Live simulation settings; one timeline shared by every live HLS playlist and DASH MPD of an origin. */
export interface LiveOptions {
  /** Segments in the HLS sliding window and in the DASH timeShiftBufferDepth. */
  windowSegments: number;
  /** Live "start": a full window is already available at this instant. Default: when the origin started. */
  startEpochMs?: number;
  /** Overrides the segment duration read from the playlist/MPD (drives how fast the live edge advances). */
  segmentDurationSec?: number;
  /** Wall clock in ms since the epoch; injectable so tests do not wait. */
  now?: () => number;
}

export interface LiveTimeline {
  windowSegments: number;
  startEpochMs: number;
  segmentDurationSec: number | undefined;
  now: () => number;
}

export function liveTimeline(opts: Partial<LiveOptions> | undefined, originStartMs: number): LiveTimeline {
  const windowSegments = opts?.windowSegments ?? 10;
  if (!Number.isInteger(windowSegments) || windowSegments < 1) {
    throw new RangeError(`live.windowSegments must be a positive integer, got ${windowSegments}`);
  }
  const segDur = opts?.segmentDurationSec;
  if (segDur !== undefined && !(segDur > 0)) {
    throw new RangeError(`live.segmentDurationSec must be > 0, got ${segDur}`);
  }
  return {
    windowSegments,
    startEpochMs: opts?.startEpochMs ?? originStartMs,
    segmentDurationSec: segDur,
    now: opts?.now ?? Date.now,
  };
}

/**
 * Index (0-based, = HLS media sequence = DASH number − startNumber) of the newest complete segment. Segment `s`
 * covers [zero + s·d, zero + (s+1)·d) where zero = start − window·d, so a full window exists at the start.
 */
export function newestSegment(t: LiveTimeline, segDurSec: number): number {
  return Math.floor((t.now() - t.startEpochMs) / (segDurSec * 1000)) + t.windowSegments - 1;
}

/** Wall-clock instant of media time zero of the looping stream (DASH availabilityStartTime). */
export function timelineZeroMs(t: LiveTimeline, segDurSec: number): number {
  return t.startEpochMs - t.windowSegments * segDurSec * 1000;
}

/** `PT…S` with millisecond precision. */
export function isoDuration(sec: number): string {
  return `PT${Number(sec.toFixed(3))}S`;
}

/** Parses the ISO 8601 durations found in MPDs (`PT1M0.5S`, `P1DT2H`); undefined when malformed. */
export function parseIsoDuration(s: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    s.trim(),
  );
  if (!m) return undefined;
  const [, d = '0', h = '0', min = '0', sec = '0'] = m;
  return Number(d) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(sec);
}
