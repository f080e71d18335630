import { Emitter as BaseEmitter } from '../events.js';

/** The engine's typed emitter. A throwing listener must not break the P2P layer: its error is rethrown asynchronously. */
export class Emitter<M extends Record<keyof M, (...args: never[]) => void>> extends BaseEmitter<M> {
  protected override onListenerError(_event: string, error: unknown): void {
    setTimeout(() => {
      throw error;
    });
  }
}
