import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from '../../../core/events.js';

interface Map1 {
  ping: (n: number) => void;
}

class TestEmitter {
  readonly errors: string[] = [];
  readonly emitter = new Emitter<Map1>((event, error) => this.errors.push(`${event}:${(error as Error).message}`));
  on: Emitter<Map1>['on'] = (event, fn) => this.emitter.on(event, fn);
  off: Emitter<Map1>['off'] = (event, fn) => this.emitter.off(event, fn);
  once: Emitter<Map1>['once'] = (event, fn) => this.emitter.once(event, fn);
  emit: Emitter<Map1>['emit'] = (event, ...args) => this.emitter.emit(event, ...args);
}

void describe('events', () => {
  void it('on/off/once, typed payloads', () => {
    const e = new TestEmitter();
    const got: number[] = [];
    const fn = (n: number): void => void got.push(n);
    e.on('ping', fn);
    e.once('ping', (n) => got.push(n * 10));
    e.emit('ping', 1);
    e.emit('ping', 2);
    e.off('ping', fn);
    e.emit('ping', 3);
    assert.deepEqual(got, [1, 10, 2]);
  });

  void it('a throwing listener is isolated and reported', () => {
    const e = new TestEmitter();
    const got: number[] = [];
    e.on('ping', () => {
      throw new Error('bad');
    });
    e.on('ping', (n) => got.push(n));
    assert.doesNotThrow(() => e.emit('ping', 7));
    assert.deepEqual(got, [7]);
    assert.deepEqual(e.errors, ['ping:bad']);
  });
});
