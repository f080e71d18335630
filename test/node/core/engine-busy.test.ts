/** A holder that answers BUSY sends the viewer to another holder (not to HTTP); peer downloads announce "loading". */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EngineSettings } from '../../../core/settings.js';
import { FakePeer, type FakeDownload } from './fake-swarm.js';
import { bytesOf, engineTestEnv, SEG, sleep, until, type Rig } from './engine-helpers.js';

const env = engineTestEnv();

/** Peers that answer BUSY to every request; the others deliver segment 5 (t200) whole. */
async function rigWith(busyIds: Set<string>, holders: string[], settings: Partial<EngineSettings> = {}): Promise<Rig> {
  const r = env.rig({ httpSeedEnabled: false, ...settings });
  await until(() => r.net.swarms.size === 1);
  r.swarm().onDownload = (d: FakeDownload) => {
    if (busyIds.has(d.peerId)) {
      d.fail('busy');
      return;
    }
    d.totalBytes = SEG;
    d.push(bytesOf(5).subarray(d.fromByte));
    d.finish();
  };
  for (const id of holders) {
    const p = new FakePeer(id, 1e6);
    p.haves.add('t200');
    r.swarm().addPeer(p);
  }
  return r;
}

const requestsFor = (path: string): number => env.origin.ranges.filter((u) => u.startsWith(`${path} `)).length;

void describe('engine: BUSY answers', { timeout: 20_000 }, () => {
  void it('a busy holder is skipped: the request goes to the other holder, not to HTTP', async () => {
    const r = await rigWith(new Set(['A']), ['A', 'B']);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
    const before = requestsFor('/file');
    // Whichever holder the hash picks first, B serves: A is busy and is not asked again right away.
    const res = await r.engine.loadSegment(r.streamId, 't200');
    assert.equal(res.source, 'p2p');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(5));
    assert.equal(requestsFor('/file'), before, 'no HTTP request for a segment a free peer holds');
    const asked = r.swarm().downloads.map((d) => d.peerId);
    assert.equal(asked.at(-1), 'B');
    assert.ok(asked.filter((id) => id === 'A').length <= 1, `A asked ${asked.join(',')}`);
  });

  void it('with every holder busy the request waits while time is in hand, then goes to HTTP in time', async () => {
    const r = await rigWith(new Set(['A']), ['A'], { deadlineMarginMs: 200 });
    // t40 starts 4 s ahead and the player has 4 s buffered: about 3.8 s in hand minus the expected HTTP time.
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 4 });
    const peer = new FakePeer('C', 1e6);
    peer.haves.add('t40');
    r.swarm().addPeer(peer);
    r.swarm().onDownload = (d: FakeDownload) => d.fail('busy');
    const started = Date.now();
    // The player plays on meanwhile, so the time in hand shrinks.
    const playing = setInterval(() => {
      const positionSec = (Date.now() - started) / 1000;
      r.engine.updatePlayback({ positionSec, rate: 1, bufferedEndSec: 4 });
    }, 50);
    const res = await r.engine.loadSegment(r.streamId, 't40').finally(() => clearInterval(playing));
    const tookMs = Date.now() - started;
    assert.equal(res.source, 'http');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(1));
    assert.ok(tookMs > 500, `waited ${tookMs} ms for a free holder first`);
    assert.ok(tookMs < 4000, `HTTP came before the buffer ran out at 4 s (${tookMs} ms)`);
    assert.ok(r.swarm().downloads.length >= 2, 'the busy holder was asked again after its pause');
  });

  void it('a peer download announces "loading"; a dropped busy prefetch withdraws it', async () => {
    const r = await rigWith(new Set(['A']), ['A']);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
    await until(() => r.swarm().downloads.length > 0);
    await sleep(50);
    const announced = r.swarm().announced.filter((a) => a.endsWith(':t200'));
    assert.deepEqual(announced.slice(0, 2), ['loading:t200', 'removed:t200']);
    assert.equal(r.engine.getStats().httpBytes, 0);
  });

  void it('a peer download that completes turns "loading" into "have"', async () => {
    const r = await rigWith(new Set(), ['B']);
    r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
    await until(() => r.swarm().announced.includes('have:t200'));
    assert.deepEqual(
      r.swarm().announced.filter((a) => a.endsWith(':t200')),
      ['loading:t200', 'have:t200'],
    );
  });
});
