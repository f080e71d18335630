/**
 * Where a real viewer's main thread goes before its first frame: Chromium's long-animation-frame entries (frames
 * whose work took over 50 ms), with the scripts it attributes them to. The P2P pass's startup gap is from the first
 * segment to the first frame; this tells whether the page was busy then and with what (peer set-up, P2P traffic,
 * the player), without a profiler attached.
 */
import type { MainThreadBusy } from '../protocol.js';

/** The parts of a PerformanceLongAnimationFrameTiming entry read here (not in TypeScript's DOM lib yet). */
interface LongFrame {
  startTime: number;
  duration: number;
  blockingDuration: number;
  scripts: { invoker: string; sourceFunctionName: string; sourceURL: string; duration: number }[];
}

const TOP_SCRIPTS = 8;

export interface MainThreadWatch {
  /** Long frames that started before `untilMs` (page clock) and after `sinceMs`. */
  between(sinceMs: number, untilMs: number): MainThreadBusy;
  stop(): void;
}

export function watchMainThread(): MainThreadWatch {
  const frames: LongFrame[] = [];
  let observer: PerformanceObserver | undefined;
  let supported = true;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) frames.push(e as unknown as LongFrame);
    });
    observer.observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    supported = false;
  }
  return {
    between(sinceMs, untilMs) {
      const inRange = frames.filter((f) => f.startTime >= sinceMs && f.startTime < untilMs);
      const byScript = new Map<string, number>();
      for (const f of inRange) {
        for (const s of f.scripts) {
          const name = `${s.invoker || '?'} ${s.sourceFunctionName || ''}`.trim();
          byScript.set(name, (byScript.get(name) ?? 0) + s.duration);
        }
      }
      return {
        supported,
        longFrames: inRange.length,
        longFrameMs: Math.round(inRange.reduce((a, f) => a + f.duration, 0)),
        blockingMs: Math.round(inRange.reduce((a, f) => a + f.blockingDuration, 0)),
        topScripts: [...byScript]
          .sort((a, b) => b[1] - a[1])
          .slice(0, TOP_SCRIPTS)
          .map(([script, ms]) => ({ script, ms: Math.round(ms) })),
      };
    },
    stop() {
      observer?.disconnect();
    },
  };
}
