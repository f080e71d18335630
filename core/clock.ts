/** Opaque timer handle of a Clock. */
export type TimerHandle = object | number;

/**
 * Time as the engine sees it. The scheduler loop reads the time and sets its wake-ups only through this, so the
 * same loop runs on the page's timers and on a simulated clock (bench:sim, tests).
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The page's clock: `performance.now()` where it exists, else `Date.now()`, and the global timers. */
export function systemClock(now?: () => number): Clock {
  const g = globalThis as { performance?: { now(): number } };
  return {
    now: now ?? (() => (g.performance ? g.performance.now() : Date.now())),
    setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
    clearTimeout: (handle) => {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}
