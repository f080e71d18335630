/**
 * In-page playback monitor for any `<video>`: startup time, media seconds played and stalls after startup.
 * A stall is a `waiting` event, or the playhead not moving for `frozenMs` while the element is playing (some
 * players recover before `waiting` fires). Seeks are excluded. Runs in the browser (bundled into viewer pages).
 */
import type { PlaybackSnapshot, StallEpisode } from './types.js';

export interface PlaybackMonitor {
  snapshot(): PlaybackSnapshot;
  stop(): void;
}

function bufferAhead(video: HTMLMediaElement): number {
  const t = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++) {
    if (video.buffered.start(i) <= t + 0.1 && video.buffered.end(i) > t) return video.buffered.end(i) - t;
  }
  return 0;
}

export function monitorPlayback(video: HTMLMediaElement, frozenMs = 1500): PlaybackMonitor {
  let startupMs: number | undefined;
  let startupWaiting = 0;
  let playedSec = 0;
  let lastTime = video.currentTime;
  let lastMoveMs = performance.now();
  let seeking = false;
  let error: string | undefined;
  const stalls: StallEpisode[] = [];
  let open: StallEpisode | undefined;

  const begin = (cause: StallEpisode['cause']): void => {
    if (open || seeking || startupMs === undefined || video.ended) return;
    const startedAtMs = performance.now();
    const episode = { atSec: video.currentTime, bufferAheadSec: bufferAhead(video), durationMs: 0, startedAtMs, cause };
    stalls.push(episode);
    open = episode;
  };
  const end = (): void => {
    if (!open) return;
    open.durationMs = performance.now() - open.startedAtMs;
    open = undefined;
  };

  const listeners: Record<string, () => void> = {
    playing: () => {
      startupMs ??= performance.now();
      end();
    },
    waiting: () => {
      if (startupMs === undefined) startupWaiting++;
      else begin('waiting');
    },
    seeking: () => {
      seeking = true;
      end();
    },
    seeked: () => {
      seeking = false;
      lastTime = video.currentTime;
      lastMoveMs = performance.now();
    },
    error: () => {
      error = video.error ? `${video.error.code}: ${video.error.message}` : 'unknown media error';
    },
  };
  for (const [type, fn] of Object.entries(listeners)) video.addEventListener(type, fn);

  const timer = setInterval(() => {
    const now = performance.now();
    const t = video.currentTime;
    if (t !== lastTime) {
      if (!seeking && t > lastTime && t - lastTime < 5) playedSec += t - lastTime;
      lastTime = t;
      lastMoveMs = now;
      end();
    } else if (!video.paused && !seeking && !video.ended && now - lastMoveMs > frozenMs) {
      begin('frozen');
    }
  }, 250);

  return {
    snapshot: () => ({
      startupMs,
      currentTimeSec: video.currentTime,
      playedSec,
      stalls: stalls.map((s) => (s === open ? { ...s, durationMs: performance.now() - s.startedAtMs } : { ...s })),
      startupWaiting,
      ended: video.ended,
      error,
    }),
    stop: () => {
      clearInterval(timer);
      for (const [type, fn] of Object.entries(listeners)) video.removeEventListener(type, fn);
    },
  };
}
