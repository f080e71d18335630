/** Two real networks (@roamhq/wrtc data channels) meeting through bittorrent-tracker@10.0.12's Server. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createP2PNetwork, type P2PNetwork, type PeerDownloadError, type Swarm } from '../../../../core/p2p/index.js';
import { startTestTracker, type TestTracker } from '../../../support/test-tracker.js';
import { next, platform, randomBytes, swarmOptions, waitFor } from './support.js';

void describe('two networks through a real tracker', { timeout: 60_000 }, () => {
  let tracker: TestTracker;
  let a: P2PNetwork;
  let b: P2PNetwork;
  let sa: Swarm;
  let sb: Swarm;
  const segment = randomBytes(300 * 1024);

  before(async () => {
    tracker = await startTestTracker();
    a = createP2PNetwork(platform);
    b = createP2PNetwork(platform);
    sa = a.createSwarm(swarmOptions([tracker.url]));
    const connected = next(sa, 'peer-connect');
    // b joins second so a is already in the tracker's swarm to receive b's offers.
    await new Promise((r) => setTimeout(r, 300));
    sb = b.createSwarm(swarmOptions([tracker.url]));
    await connected;
    await waitFor('b connected', () => sb.peers().length === 1);
    sa.setUploadSource((id) => Promise.resolve(id === 's1' ? segment : undefined));
  });

  after(async () => {
    a.destroy();
    b.destroy();
    await tracker.close();
  });

  void test('info hashes and peer ids', () => {
    assert.equal(sa.infoHashHex, sb.infoHashHex);
    assert.match(sa.infoHashHex, /^[0-9a-f]{40}$/);
    assert.equal(sa.peers()[0]?.id, b.peerId);
    assert.equal(sb.peers()[0]?.id, a.peerId);
    assert.ok(a.peerId.startsWith('-SC0001-') && a.peerId.length === 20);
  });

  void test('announcement reaches the other side, then a byte-exact download with progress', async () => {
    const updated = next(sb, 'peer-update');
    sa.announceHave('s1');
    sa.announceLoading('s2');
    await updated;
    await waitFor('have + loading', () => sb.whoHas('s1').length === 1 && sb.whoIsLoading('s2').length === 1);
    let progressCalls = 0;
    let downloaded = 0;
    sb.on('bytes-downloaded', (_id, n) => (downloaded += n));
    const d = sb.download(a.peerId, 's1', 0);
    d.onProgress = (p) => {
      progressCalls++;
      assert.equal(p.totalBytes, segment.length);
    };
    const data = await d.result;
    assert.deepEqual(data, segment);
    assert.ok(progressCalls > 10, `progress called ${progressCalls} times`);
    assert.equal(downloaded, segment.length);
    assert.ok((sb.peers()[0]?.throughputBytesPerSec ?? 0) > 0);
    assert.equal(sb.peers()[0]?.pendingDownloads, 0);
  });

  void test('resume from a byte offset', async () => {
    const d = sb.download(a.peerId, 's1', 123_457);
    assert.deepEqual(await d.result, segment.subarray(123_457));
    const end = sb.download(a.peerId, 's1', segment.length);
    assert.equal((await end.result).length, 0);
  });

  void test('removal is announced incrementally', async () => {
    sa.announceRemoved('s2');
    await waitFor('removed', () => sb.whoIsLoading('s2').length === 0);
    assert.equal(sb.whoHas('s1').length, 1);
  });

  void test('absent segment rejects with type absent', async () => {
    const d = sb.download(a.peerId, 'nope', 0);
    await assert.rejects(d.result, (e: PeerDownloadError) => e.type === 'absent');
  });

  void test('cancel rejects with aborted and the link stays usable', async () => {
    sa.setUploadRate(64 * 1024);
    const d = sb.download(a.peerId, 's1', 0);
    await waitFor('first bytes', () => d.receivedBytes > 0);
    d.cancel();
    await assert.rejects(d.result, (e: PeerDownloadError) => e.type === 'aborted');
    assert.ok(d.receivedData().length > 0);
    sa.setUploadRate(0);
    await new Promise((r) => setTimeout(r, 1100)); // let the rate-limited sender notice the cancel
    assert.deepEqual(await sb.download(a.peerId, 's1', 0).result, segment);
  });

  void test('upload disabled answers absent and withdraws announcements', async () => {
    sa.setUploadEnabled(false);
    await waitFor('withdrawn', () => sb.whoHas('s1').length === 0);
    await assert.rejects(sb.download(a.peerId, 's1', 0).result, (e: PeerDownloadError) => e.type === 'absent');
    sa.setUploadEnabled(true);
    await waitFor('re-announced', () => sb.whoHas('s1').length === 1);
  });

  void test('peer closing mid-transfer rejects with peer-closed and keeps partial bytes', async () => {
    sa.setUploadRate(64 * 1024);
    const d = sb.download(a.peerId, 's1', 1000);
    await waitFor('first bytes', () => d.receivedBytes > 0);
    const closed = next(sb, 'peer-close');
    sa.destroy();
    await assert.rejects(d.result, (e: PeerDownloadError) => e.type === 'peer-closed');
    const partial = d.receivedData();
    assert.equal(partial.length, d.receivedBytes);
    assert.ok(partial.length > 0 && partial.length < segment.length - 1000);
    assert.deepEqual(partial, segment.subarray(1000, 1000 + partial.length));
    await closed;
    assert.equal(sb.peers().length, 0);
  });
});
