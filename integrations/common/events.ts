import type { EngineEvents } from '../../core/index.js';
import type { EngineLike } from './playback.js';

/** Engine events every player plugin re-emits on its player, under the player's own event system. */
export const FORWARDED_EVENTS = [
  'segment-loaded',
  'segment-error',
  'peer-connect',
  'peer-close',
  'peer-refused',
  'peer-banned',
  'tracker-error',
  'warning',
] as const satisfies readonly (keyof EngineEvents)[];

export type ForwardedEvent = (typeof FORWARDED_EVENTS)[number];

/** Calls `emit(name, payload)` for every forwarded engine event; returns the function that stops it. */
export function forwardEvents(engine: EngineLike, emit: (name: ForwardedEvent, payload: unknown) => void): () => void {
  const offs = FORWARDED_EVENTS.map((name) => {
    const fn = (payload: unknown): void => emit(name, payload);
    engine.on(name, fn);
    return () => engine.off(name, fn);
  });
  return () => {
    for (const off of offs) off();
  };
}
