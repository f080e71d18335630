/** The player's own request timer (LoadOptions.playerTimeoutMs) bounds how long a request waits for the swarm. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakePeer } from './fake-swarm.js';
import { bytesOf, engineTestEnv, sleep, until } from './engine-helpers.js';

const env = engineTestEnv();

/** A rig where peer C is fetching t200 (announced "loading") and never delivers; 40 s are buffered. */
async function rigWithLoadingPeer() {
  const r = env.rig({ httpSeedEnabled: false, deadlineMarginMs: 200 });
  await until(() => r.net.swarms.size === 1);
  const peer = new FakePeer('C', 1e6);
  peer.loading.add('t200');
  r.swarm().addPeer(peer);
  r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 40 });
  return r;
}

void describe('engine: the player request timer', { timeout: 20_000 }, () => {
  void it('a request with a timer goes to HTTP before it fires, though the buffer would allow a long wait', async () => {
    const r = await rigWithLoadingPeer();
    const started = Date.now();
    const res = await r.engine.loadSegment(r.streamId, 't200', { playerTimeoutMs: 1500 });
    const tookMs = Date.now() - started;
    assert.equal(res.source, 'http');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(5));
    assert.ok(tookMs < 1500, `answered in ${tookMs} ms, before the player's 1500 ms timer`);
    assert.ok(tookMs > 500, `waited ${tookMs} ms for the peer first`);
  });

  void it('without a timer (or 0) the same request keeps waiting for the peer', async () => {
    const r = await rigWithLoadingPeer();
    const controller = new AbortController();
    let settled = false;
    const pending = r.engine.loadSegment(r.streamId, 't200', { signal: controller.signal, playerTimeoutMs: 0 });
    pending.then(
      () => (settled = true),
      () => undefined,
    );
    await sleep(1800);
    assert.equal(settled, false, 'still waiting for the peer that is fetching it');
    assert.equal(r.engine.getStats().httpBytes, 0);
    controller.abort();
    await pending.catch(() => undefined);
  });
});
