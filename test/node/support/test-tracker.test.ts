import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { startTestTracker } from '../../support/test-tracker.js';

function connect(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve();
    });
    ws.on('error', reject);
  });
}

void describe('test tracker', () => {
  void it('counts WebSocket connections, across stop and start on the same port', async () => {
    const tracker = await startTestTracker();
    try {
      assert.equal(tracker.connections, 0);
      await connect(tracker.url);
      await connect(tracker.url);
      assert.equal(tracker.connections, 2);
      await tracker.stop();
      await tracker.start();
      await connect(tracker.url);
      assert.equal(tracker.connections, 3);
    } finally {
      await tracker.close();
    }
  });
});
