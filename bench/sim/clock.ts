import type { Clock } from '../../core/clock.js';
import type { EventHandle, EventQueue } from './event-queue.js';

/** The engine's Clock on virtual time: `now` is the event queue's, timers are its events. */
export function simClock(queue: EventQueue): Clock {
  return {
    now: () => queue.nowMs,
    setTimeout: (fn, delayMs) => queue.after(delayMs, fn),
    clearTimeout: (handle) => (handle as EventHandle).cancel(),
  };
}
