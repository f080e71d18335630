import { Emitter as BaseEmitter } from '../events.js';

/** The P2P layer's typed emitter. A throwing listener must not break the P2P layer: its error is rethrown asynchronously. */
export class Emitter<M extends Record<keyof M, (...args: never[]) => void>> extends BaseEmitter<M> {
  constructor() {
    super((_event, error) => {
      setTimeout(() => {
        throw error;
      });
    });
  }
}
