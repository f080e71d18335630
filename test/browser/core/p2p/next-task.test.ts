/** nextTask in Chromium, which has `scheduler.postTask`: P2P setup split by it must wait for the page's own work. */
import { expect } from 'chai';
import { nextTask } from '../../../../core/p2p/next-task.js';

function pageTask(order: string[], name: string): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      order.push(name);
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

describe('nextTask in the browser', () => {
  it('lets tasks the page queues after it run first (scheduler.yield() would run before them)', async () => {
    expect(typeof (globalThis as { scheduler?: { postTask?: unknown } }).scheduler?.postTask).to.equal('function');
    const order: string[] = [];
    const p2p = nextTask().then(() => order.push('p2p'));
    await Promise.all([p2p, pageTask(order, 'player 1'), pageTask(order, 'player 2')]);
    expect(order).to.deep.equal(['player 1', 'player 2', 'p2p']);
  });
});
