import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextTask } from '../../../../core/p2p/next-task.js';

void test('nextTask resolves in a later task: tasks already queued run first, microtasks never wait for it', async () => {
  const order: string[] = [];
  const earlier = new MessageChannel();
  earlier.port1.onmessage = () => {
    order.push('queued task');
    earlier.port1.close();
  };
  earlier.port2.postMessage(null);
  const done = nextTask().then(() => order.push('nextTask'));
  queueMicrotask(() => order.push('microtask'));
  await done;
  assert.deepEqual(order, ['microtask', 'queued task', 'nextTask']);
});
