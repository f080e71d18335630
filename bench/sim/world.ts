import type { Clock } from '../../core/clock.js';
import type { Engine, EnginePlatform } from '../../core/engine.js';
import type { EngineSettings } from '../../core/settings.js';
import type { EventQueue } from './event-queue.js';
import type { SimOptions } from './options.js';
import type { RunCollector } from './stats.js';
import type { StreamModel } from './stream.js';

/**
 * Watches one viewer's engine from outside (test/support/sim-tape.ts records everything it receives and does):
 * it may wrap what the engine is built with and the API the viewer and its player call.
 */
export interface EngineTap {
  platform(
    platform: Partial<EnginePlatform>,
    settings: EngineSettings,
  ): { platform: Partial<EnginePlatform>; settings: EngineSettings };
  engine(engine: Engine): Engine;
  /** One event of the queue ran, and the microtasks after it. */
  afterEvent(): void;
}

/** What every simulated viewer shares: the clock, the seeded randomness, the stream and the run's collector. */
export interface World {
  readonly queue: EventQueue;
  /** The engines' clock: the queue's virtual time. */
  readonly clock: Clock;
  readonly random: () => number;
  readonly options: SimOptions;
  readonly settings: EngineSettings;
  readonly stream: StreamModel;
  readonly collector: RunCollector;
  /** One CDN request's time to first byte. */
  cdnTtfbMs(): number;
  /** The tap on one viewer's engine, if a test asked for one. */
  tap?: { viewerId: number; tap: EngineTap } | undefined;
}
