/**
 * P2P unusable (no WebRTC, or the network fails to start): the engine says so once (one `warning`, and
 * `p2pAvailable: false` in its stats), never tries again, and keeps serving the player over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesOf, engineTestEnv, sleep } from '../engine-helpers.js';

const env = engineTestEnv();

void describe('engine without usable P2P', () => {
  void it('no RTCPeerConnection: one warning, p2pAvailable false, the network never built, HTTP serves', async () => {
    let built = 0;
    const r = env.rig({}, true, {
      RTCPeerConnection: undefined,
      createNetwork: () => {
        built++;
        throw new Error('must not be called');
      },
    });
    const warnings: string[] = [];
    r.engine.on('warning', (e) => warnings.push(e.message));
    for (let i = 0; i < 3; i++) {
      const result = await r.engine.loadSegment(r.streamId, `t${i * 40}`);
      assert.equal(result.source, 'http');
      assert.deepEqual(new Uint8Array(result.data), bytesOf(i));
    }
    await sleep(200); // ten scheduler ticks: none may try again
    assert.equal(warnings.length, 1, `warnings: ${JSON.stringify(warnings)}`);
    assert.match(warnings[0] ?? '', /P2P unavailable, HTTP only/);
    assert.equal(built, 0);
    assert.equal(r.engine.getStats().p2pAvailable, false);
  });

  void it('no RTCPeerConnection: with a full buffer a requested segment goes to HTTP at once, never held for peers', async () => {
    const actions: string[] = [];
    const r = env.rig({ p2pWaitMaxMs: 60_000 }, true, {
      RTCPeerConnection: undefined,
      trace: (e) => actions.push(`${e.action.type} ${e.action.id}`),
    });
    await r.engine.loadSegment(r.streamId, 't0');
    // Well past urgentWindowSec buffered: with peers this is when a request waits for them.
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 20 });
    await sleep(60);
    actions.length = 0;
    const result = await r.engine.loadSegment(r.streamId, 't200');
    assert.equal(result.source, 'http');
    const forT200 = actions.filter((a) => a.endsWith(' t200'));
    assert.deepEqual(
      forT200.slice(0, 1),
      ['http t200'],
      `first actions: ${forT200.slice(0, 3).join(', ')} of ${forT200.length}`,
    );
    assert.ok(!forT200.some((a) => a.startsWith('wait')), `held for peers that cannot exist: ${forT200.join(', ')}`);
  });

  void it('a network that fails to start: one warning and one attempt, p2pAvailable false', async () => {
    let built = 0;
    const r = env.rig({}, true, {
      createNetwork: () => {
        built++;
        throw new Error('no data channels here');
      },
    });
    const warnings: string[] = [];
    r.engine.on('warning', (e) => warnings.push(e.message));
    await r.engine.loadSegment(r.streamId, 't0');
    await r.engine.loadSegment(r.streamId, 't40');
    await sleep(200);
    assert.equal(built, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /no data channels here/);
    assert.equal(r.engine.getStats().p2pAvailable, false);
  });

  void it('usable P2P: p2pAvailable true, no warning', async () => {
    const r = env.rig();
    const warnings: string[] = [];
    r.engine.on('warning', (e) => warnings.push(e.message));
    await r.engine.loadSegment(r.streamId, 't0');
    await sleep(100);
    assert.equal(r.net.swarms.size, 1);
    assert.deepEqual(warnings, []);
    assert.equal(r.engine.getStats().p2pAvailable, true);
  });
});
