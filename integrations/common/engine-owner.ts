import { Engine } from '../../core/index.js';
import type { CommonOptions } from './options.js';
import type { EngineLike } from './playback.js';

/**
 * The engine of an integration: the one passed in `options.engine` (borrowed: left alive on destroy), or one
 * created from `options.core` (owned: destroyed with the integration).
 */
export class EngineOwner {
  readonly engine: EngineLike;
  private readonly owns: boolean;

  constructor(options: Pick<CommonOptions, 'core' | 'engine'>) {
    this.owns = options.engine === undefined;
    this.engine = options.engine ?? new Engine(options.core);
  }

  destroy(): void {
    if (this.owns) this.engine.destroy();
  }
}
