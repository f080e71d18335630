/** A failed prefetch keeps the bytes it got; a later request completes them (HTTP Range or another peer). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakePeer } from './fake-swarm.js';
import { bytesOf, engineTestEnv, SEG, sleep, until, type Rig } from './engine-helpers.js';

const env = engineTestEnv();

/** t200 (segment 5, 20 s ahead: never urgent) is announced by peer A, whose first transfer dies after 4000 bytes. */
async function prefetchFails(settings = {}): Promise<{ r: Rig; peer: FakePeer }> {
  const r = env.rig({ failureBackoffMs: 60_000, httpSeedEnabled: false, ...settings });
  await until(() => r.net.swarms.size === 1);
  let first = true;
  r.swarm().onDownload = (d) => {
    const full = bytesOf(5).subarray(d.fromByte);
    d.totalBytes = SEG;
    if (first) {
      first = false;
      d.push(full.subarray(0, 4000));
      d.fail('peer-closed');
      return;
    }
    d.push(full);
    d.finish();
  };
  const peer = new FakePeer('A', 1e6);
  peer.haves.add('t200');
  r.swarm().addPeer(peer);
  r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 16 });
  await until(() => r.swarm().downloads.length === 1);
  await sleep(50);
  return { r, peer };
}

void describe('engine: partial bytes of a failed prefetch', () => {
  void it('are completed with an HTTP Range request from the byte reached', async () => {
    const { r, peer } = await prefetchFails();
    peer.haves.delete('t200'); // the peer is gone for this segment: the player's request goes to HTTP
    const before = env.origin.ranges.length;
    const res = await r.engine.loadSegment(r.streamId, 't200');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(5));
    assert.equal(res.source, 'http');
    assert.deepEqual(env.origin.ranges.slice(before), [`/file bytes=${5 * SEG + 4000}-${6 * SEG - 1}`]);
    const stats = r.engine.getStats();
    assert.equal(stats.p2pBytes, 4000);
    assert.equal(stats.httpBytes, SEG - 4000);
  });

  void it('are completed from a peer, which is asked only for the rest', async () => {
    const { r } = await prefetchFails();
    const res = await r.engine.loadSegment(r.streamId, 't200');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(5));
    assert.equal(res.source, 'p2p');
    assert.deepEqual(
      r.swarm().downloads.map((d) => d.fromByte),
      [0, 4000],
    );
    assert.equal(r.engine.getStats().p2pBytes, SEG);
  });

  void it('expire after storageTtlMs when nobody comes back for them', async () => {
    const { r, peer } = await prefetchFails({ storageTtlMs: 100 });
    peer.haves.delete('t200');
    await sleep(200);
    const before = env.origin.ranges.length;
    const res = await r.engine.loadSegment(r.streamId, 't200');
    assert.deepEqual(new Uint8Array(res.data), bytesOf(5));
    assert.deepEqual(env.origin.ranges.slice(before), [`/file bytes=${5 * SEG}-${6 * SEG - 1}`]);
  });
});
