import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, type EngineSettings } from '../../../core/settings.js';
import { DEFAULT_SIM_OPTIONS, parseCli, type SimOptions } from '../../../bench/sim/options.js';
import { runSim, type SimRun } from '../../../bench/sim/sim.js';
import { summarize } from '../../../bench/sim/summary.js';

const small: SimOptions = { ...DEFAULT_SIM_OPTIONS, viewers: 80, durationSec: 60, rampSec: 10, seed: 7 };
const run = (o: Partial<SimOptions> = {}, s: Partial<EngineSettings> = {}): Promise<SimRun> =>
  runSim({ ...small, ...o }, { ...DEFAULT_SETTINGS, ...s });

describe('bench:sim', () => {
  it('replays the same run for the same seed, and a different one for another seed', async () => {
    const strip = (r: SimRun): unknown => ({ ...summarize(r), wallSec: 0, viewers: r.collector.viewers });
    assert.deepEqual(strip(await run()), strip(await run()));
    assert.notDeepEqual(strip(await run()), strip(await run({ seed: 8 })));
  });

  it('faces the same audience whatever the settings: the HTTP-only pass and an A/B compare like with like', async () => {
    const audience = (r: SimRun): unknown =>
      r.collector.viewers.map((v) => [
        v.joinedMs,
        v.leftMs,
        v.uploadBytesPerSec,
        v.downloadBytesPerSec,
        v.symmetricNat,
      ]);
    const churn = { churnPerMinPct: 20 };
    const p2p = await run(churn);
    assert.deepEqual(audience(await run(churn, { p2pEnabled: false })), audience(p2p));
    assert.deepEqual(audience(await run(churn, { maxPeers: 5 })), audience(p2p));
  });

  it('accounts for every byte, per viewer and in total', async () => {
    const r = await run({ churnPerMinPct: 20 });
    assertBooks(r);
    assert.ok(summarize(r).sessions > small.viewers, 'churn brought newcomers');
  });

  it('books a segment the store drops in the instant the player gets it as delivered', async () => {
    // A live window one segment longer than the sync point, on slow downloads: players lag to the window's tail,
    // and a segment leaves the playlist (and the store) at the instant its load reaches the player.
    assertBooks(
      await run({ viewers: 100, durationSec: 90, liveWindowSegments: 4, liveSyncSegments: 3, downloadMedianMbps: 2 }),
    );
  });

  it('offloads a clear share with P2P on, within the ceiling', async () => {
    const s = summarize(await run());
    assert.ok(s.offloadPct > 30, `offload ${s.offloadPct} %`);
    assert.ok(s.offloadPct <= s.offloadCeilingPct, `offload ${s.offloadPct} % ≤ ceiling ${s.offloadCeilingPct} %`);
    assert.ok(s.offloadCeilingPct < 100);
    assert.ok(s.cdnFetchesPerSegment.mean < small.viewers / 2, 'most viewers did not fetch each segment from the CDN');
  });

  it('offloads nothing with P2P off', async () => {
    const s = summarize(await run({}, { p2pEnabled: false }));
    assert.equal(s.offloadPct, 0);
    assert.equal(s.p2pBytes, 0);
    assert.ok(s.deliveredBytes > 0);
    assert.equal(s.segmentLoadMs.p2p.count, 0);
  });

  it('does not stall with ample bandwidth and no churn, VOD and live', async () => {
    const ample: Partial<SimOptions> = {
      churnPerMinPct: 0,
      uploadMedianMbps: 100,
      downloadMedianMbps: 500,
      downloadSigma: 0.1,
      uploadSigma: 0.1,
    };
    for (const stream of ['live', 'vod'] as const) {
      const s = summarize(await run({ ...ample, stream }));
      assert.equal(s.stalls, 0, `${stream}: ${s.stalls} stalls`);
      assert.ok(s.watchSec > small.viewers * 30, `${stream}: viewers watched`);
      assert.ok(s.offloadPct > 0, `${stream}: offload ${s.offloadPct} %`);
    }
  });

  it('never uploads from a viewer without upload bandwidth', async () => {
    const r = await run({ zeroUploadShare: 0.3 });
    const mute = r.collector.viewers.filter((v) => v.uploadBytesPerSec === 0);
    assert.ok(mute.length > 10, 'some viewers have no upload');
    for (const v of mute) assert.equal(v.uploadedBytes, 0, `viewer ${v.id}`);
    assert.ok(
      mute.some((v) => v.p2pBytes > 0),
      'they still download from peers',
    );
    assert.ok(r.collector.viewers.some((v) => v.uploadedBytes > 0));
  });

  it('rejects unknown options and settings with a readable message', () => {
    assert.throws(() => parseCli(['--viewres', '10']), /viewres/);
    assert.throws(() => parseCli(['--set', 'p2pSafetyFactr=2']), /did you mean "p2pSafetyFactor"/);
    assert.throws(() => parseCli(['--set', 'maxPeers=many']), /expected a number/);
    assert.throws(() => parseCli(['--sweep', 'urgentWindowSec']), /key=value/);
    const cli = parseCli(['--viewers', '10', '--set', 'p2pSafetyFactor=1.2', '--sweep', 'maxPeers=5,10']);
    assert.equal(cli.options.viewers, 10);
    assert.equal(cli.settings.p2pSafetyFactor, 1.2);
    assert.deepEqual(cli.sweep, { key: 'maxPeers', values: [5, 10] });
  });
});

function assertBooks(r: SimRun): void {
  let p2p = 0;
  let uploaded = 0;
  for (const v of r.collector.viewers) {
    const context = `viewer ${v.id}`;
    assert.equal(v.cdnBytes + v.p2pBytes, v.deliveredBytes + v.wastedBytes + v.heldAtEndBytes, context);
    assert.equal(v.deliveredHttpBytes + v.deliveredP2PBytes, v.deliveredBytes, context);
    assert.ok(v.leftMs !== undefined, `${context} closed its books`);
    p2p += v.p2pBytes;
    uploaded += v.uploadedBytes;
  }
  // Whatever a viewer received from a peer, that peer sent.
  assert.equal(p2p, uploaded);
  const s = summarize(r);
  assert.equal(s.cdnBytes + s.p2pBytes, s.deliveredBytes + s.wastedBytes + s.heldAtEndBytes);
  // Segments handed to players are whole segments: every delivery has the segment's exact size.
  let fromDeliveries = 0;
  for (const d of r.collector.deliveries.values()) fromDeliveries += d.bytes * d.count;
  assert.equal(fromDeliveries, s.deliveredBytes);
}
