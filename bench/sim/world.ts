import type { Clock } from '../../core/clock.js';
import type { EngineSettings } from '../../core/settings.js';
import type { EventQueue } from './event-queue.js';
import type { SimOptions } from './options.js';
import type { RunCollector } from './stats.js';
import type { StreamModel } from './stream.js';

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
}
