/**
 * `bench:swarm` end to end, small: 3 hls.js viewers on the live simulator for a short run, as a child process with
 * `--json`. Checks the shape of the one JSON object and that its numbers are consistent with each other: every
 * origin byte is attributed to a viewer, the engines' HTTP bytes match what the origin meter saw for their
 * requests, P2P bytes received match bytes uploaded, the baseline pass used no peers, offload is within
 * [0, 1 − 1/N]; and that P2P Media Loader's pass (on by default for hls.js) ran, announced to our tracker and
 * moved P2P bytes. Behaviour only: no timing thresholds.
 *
 * e2e: exclusive (several viewers and an offload ratio; never overlaps another such file, see scripts/test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PassSummary, SwarmBenchResult } from '../../../bench/swarm/summary.js';
import { renderTable } from '../../../bench/swarm/table.js';
import { runScript, type ScriptRun } from '../../node/bench/run-script.js';

const VIEWERS = 3;
/**
 * Byte accounting tolerances (bytes, not time). The origin meters bodies of HTTP downloads the engine cancelled
 * after the origin had written them (rare: nearly-done downloads are finished rather than cancelled), and a
 * peer may upload chunks of a request the receiver just cancelled, which the receiver discards.
 */
const MAX_UNREAD_SHARE = 0.1;
const MAX_DISCARDED_SHARE = 0.1;

/** `npm run bench:swarm -- <args>`, as people run it. */
const runBench = (args: string[]): Promise<ScriptRun> => runScript('bench:swarm', args, 600_000);

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function assertPassConsistent(name: string, s: PassSummary): void {
  assert.equal(s.viewers.length, VIEWERS, `${name}: a row per viewer`);
  assert.deepEqual(s.errors, [], `${name}: page or tracker errors`);
  for (const v of s.viewers) {
    assert.deepEqual(v.errors, [], `${name} ${v.id}: errors`);
    assert.equal(typeof v.startupMs, 'number', `${name} ${v.id}: never started playing`);
    assert.ok(v.playedSec > 0, `${name} ${v.id}: played nothing`);
    assert.ok(v.httpBytes > 0, `${name} ${v.id}: no HTTP bytes (startup segments are HTTP)`);
    // Startup phases in order: the first segment is asked for, delivered, and a frame plays after it arrived.
    const { firstSegmentRequestedMs: asked, firstSegmentMs: got, startupMs: playing } = v;
    assert.ok(
      asked !== undefined && got !== undefined && playing !== undefined && asked <= got && got <= playing,
      `${name} ${v.id}: startup phases out of order: ${asked} → ${got} → ${playing}`,
    );
    assert.ok((v.mediaLoadsBeforeStartup ?? 0) >= 1, `${name} ${v.id}: played before any media segment arrived`);
    assert.equal(v.startupLoads.length, v.mediaLoadsBeforeStartup);
    for (const l of v.startupLoads)
      assert.ok(l.requestedMs <= l.ms && l.ms <= playing, `${name} ${v.id}: startup load`);
    const busy = v.mainThreadBeforeStartup;
    if (v.kind === 'real') {
      // Chromium has long-animation-frame entries; a frame's blocking part is within it.
      assert.ok(busy?.supported, `${name} ${v.id}: no main-thread figures`);
      assert.ok(busy.blockingMs <= busy.longFrameMs, `${name} ${v.id}: blocking beyond the frames`);
      assert.equal(busy.longFrames === 0, busy.longFrameMs === 0);
    } else assert.equal(busy, undefined, `${name} ${v.id}: a virtual viewer has no page of its own`);
  }
  assert.equal(s.startupPhases.startupMs, s.startupMedianMs);
  assert.ok(s.eventLoopDelayMs.p99 > 0 && s.eventLoopDelayMs.max >= s.eventLoopDelayMs.p99);
  assert.ok((s.cpuSec.chromium ?? 0) > 0 && s.cpuSec.bench > 0, `${name}: CPU ${JSON.stringify(s.cpuSec)}`);
  // Every origin byte belongs to some viewer: media through its engine, or its manifests.
  assert.equal(
    s.cdnBytes,
    sum(s.viewers.map((v) => v.originMediaBytes + v.originOtherBytes)),
    `${name}: origin bytes not attributed to a viewer`,
  );
  assert.equal(s.cdnMediaBytes, sum(s.viewers.map((v) => v.originMediaBytes)));
  const c = s.consistency;
  assert.equal(c.engineHttpBytes, sum(s.viewers.map((v) => v.httpBytes)));
  assert.equal(c.originMediaBytes, s.cdnMediaBytes);
  assert.ok(c.engineHttpBytes <= c.originMediaBytes, `${name}: engines read more than the origin sent`);
  assert.ok(
    c.originNotReadBytes <= MAX_UNREAD_SHARE * c.originMediaBytes,
    `${name}: ${c.originNotReadBytes} of ${c.originMediaBytes} origin media bytes never reached an engine`,
  );
  assert.equal(c.p2pReceivedBytes, sum(s.viewers.map((v) => v.p2pBytes)));
  assert.equal(c.p2pUploadedBytes, sum(s.viewers.map((v) => v.uploadBytes)));
  assert.ok(c.p2pReceivedBytes <= c.p2pUploadedBytes, `${name}: more P2P bytes received than uploaded`);
  assert.ok(
    c.p2pDiscardedBytes <= MAX_DISCARDED_SHARE * c.p2pUploadedBytes,
    `${name}: ${c.p2pDiscardedBytes} of ${c.p2pUploadedBytes} uploaded bytes never counted by a receiver`,
  );
  const h = s.httpRepeats;
  assert.equal(h.repeats, h.downloads - h.segments, `${name}: repeats ${JSON.stringify(h)}`);
  assert.ok(h.concurrent <= h.repeats && h.beforeStartup <= h.repeats, `${name}: ${JSON.stringify(h)}`);
  assert.ok(h.repeatBytes < c.engineHttpBytes, `${name}: repeated HTTP bytes beyond all HTTP bytes`);
  // The fixture's smallest rendition is 426x240, the first at least as large as the 320 px element.
  assert.deepEqual(Object.keys(s.renditions), ['426x240'], `${name}: renditions ${JSON.stringify(s.renditions)}`);
  assert.ok((s.renditions['426x240'] ?? 0) >= VIEWERS, `${name}: a media segment per viewer at least`);
}

/**
 * P2P Media Loader 2.3.1's pass, on by default for hls.js: the same viewers against an origin and a tracker of its
 * own (ours), and its segments shared between them.
 */
function assertP2pmlPass(r: SwarmBenchResult): void {
  const m = r.p2pml;
  const pass = r.passes.p2pml;
  assert.ok(m && pass, 'no P2P Media Loader pass');
  assert.equal(pass.viewers.length, VIEWERS, 'p2pml: a row per viewer');
  assert.deepEqual(pass.errors, [], 'p2pml: page or tracker errors');
  for (const v of pass.viewers) {
    // hls.js errors in its viewers, fatal ones included (an internalException thrown by one of P2P Media Loader's
    // listeners was seen), are P2P Media Loader's to answer for: the bench prints them and counts their stalls. A
    // throw in the bench's own recorder is ours.
    assert.deepEqual(
      v.errors.filter((e) => e.startsWith('recorder:')),
      [],
      `p2pml ${v.id}: the bench's recorder threw`,
    );
    if (v.errors.length > 0) console.log(`p2pml ${v.id}: ${v.errors.join(', ')}`);
  }
  const played = pass.viewers.filter((v) => typeof v.startupMs === 'number' && v.playedSec > 0);
  assert.ok(played.length >= 2, `p2pml: ${played.length} of ${VIEWERS} viewers played (a swarm needs two)`);
  // Its clients announced to our tracker, which relayed their offers: they found each other there.
  assert.ok((pass.tracker.received.announce ?? 0) >= VIEWERS, 'p2pml: every viewer announced');
  assert.ok((pass.tracker.sent.offer ?? 0) > 0, 'p2pml: no offer relayed');
  assert.equal(pass.tracker.received.invalid ?? 0, 0, 'p2pml: our tracker refused messages');
  assert.ok(m.p2pBytes > 0, 'P2P Media Loader moved no P2P bytes');
  assert.equal(m.p2pBytes, sum(pass.viewers.map((v) => v.p2pBytes)));
  assert.ok(pass.consistency.p2pUploadedBytes > 0, 'p2pml: nobody uploaded');
  // Its own origin meter: every byte belongs to one of its viewers; offload and copies come from it.
  assert.equal(pass.cdnBytes, sum(pass.viewers.map((v) => v.originMediaBytes + v.originOtherBytes)));
  assert.ok(pass.cdnMediaBytes > 0, 'p2pml: no media bytes metered as media');
  assert.ok(Math.abs(m.offloadPct - 100 * (1 - pass.cdnBytes / r.cdnBytes.baseline)) < 1e-9);
  assert.ok(m.offloadPct <= r.ceilingPct + 1e-9, `p2pml offload ${m.offloadPct} beyond the ceiling`);
  assert.ok(pass.distinctSegmentBytes > 0, 'p2pml: no player load recorded');
  assert.equal(m.cdnCopiesPerSegment, pass.cdnMediaBytes / pass.distinctSegmentBytes);
  assert.equal(m.stalls.extra, pass.stalls - r.passes.baseline.stalls);
  const table = renderTable(r);
  const row = table.split('\n').find((l) => l.trim().startsWith('offload % (media only)')) ?? '';
  assert.ok(row.trimEnd().endsWith(`${m.offloadPct.toFixed(1)} (${m.mediaOffloadPct.toFixed(1)})`), row);
}

void describe('bench:swarm', () => {
  void it('rejects unknown options and bad values with a readable message', async () => {
    const unknown = await runBench(['--viewer', '3']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /viewer/);
    const bad = await runBench(['--viewers', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--viewers must be an integer ≥ 1/);
    const dash = await runBench(['--player', 'shaka', '--virtual']);
    assert.equal(dash.code, 2);
    assert.match(dash.stderr, /virtual viewers read HLS only/);
    const p2pml = await runBench(['--player', 'videojs', '--p2pml', 'yes']);
    assert.equal(p2pml.code, 2);
    assert.match(p2pml.stderr, /--p2pml yes: P2P Media Loader's pass is for hls\.js only/);
  });

  void it(`${VIEWERS} hls.js viewers, live, short run: JSON shape and numbers that add up`, async () => {
    const run = await runBench([
      '--viewers',
      String(VIEWERS),
      '--stream',
      'live',
      '--player',
      'hlsjs',
      '--duration-sec',
      '20',
      '--join-spread-ms',
      '3000',
      // hls.js then plays the rendition that fits the 320 px element, which shows the option reaches the page.
      '--cap-to-player-size',
      'yes',
      '--json',
    ]);
    assert.equal(run.code, 0, `bench failed:\n${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1, '--json prints exactly one line');
    const r = JSON.parse(lines[0] ?? '') as SwarmBenchResult;
    console.log(
      `offload ${r.offloadPct.toFixed(1)} % of ceiling ${r.ceilingPct.toFixed(1)} % (reachable ${r.reachablePct.toFixed(1)} %), stalls ${r.stalls.baseline.count}` +
        ` → ${r.stalls.p2p.count}, startup ratio ${r.startupMs.ratio?.toFixed(2)}, ` +
        `loads ${JSON.stringify(r.segmentLoadMs.p2p)}, tracker ${r.trackerMessages.p2p.total} messages`,
    );

    // Shape.
    assert.deepEqual(r.viewers, { total: VIEWERS, real: VIEWERS, virtual: 0 });
    for (const key of ['baseline', 'p2p'] as const) {
      assert.equal(typeof r.cdnBytes[key], 'number');
      assert.equal(typeof r.stalls[key].count, 'number');
      assert.equal(typeof r.stalls[key].sec, 'number');
      assert.equal(typeof r.trackerMessages[key].total, 'number');
    }
    assert.equal(typeof r.startupMs.baselineMedian, 'number');
    assert.equal(typeof r.startupMs.p2pMedian, 'number');
    assert.equal(typeof r.startupMs.ratio, 'number');
    assert.equal(typeof r.uploadBytesPerViewer, 'number');
    for (const q of Object.values(r.segmentLoadMs.p2p)) {
      assert.ok(q.count > 0, 'a source with no loads is left out');
      assert.ok(typeof q.p50Ms === 'number' && typeof q.p95Ms === 'number' && q.p50Ms <= q.p95Ms);
    }
    for (const v of r.passes.p2p.viewers) {
      for (const k of ['p2pSharePct', 'httpBytes', 'p2pBytes', 'uploadBytes', 'stalls', 'stallSec'] as const)
        assert.equal(typeof v[k], 'number', `${v.id}.${k}`);
      assert.ok(v.p2pSharePct >= 0 && v.p2pSharePct <= 100);
    }

    // Numbers that add up.
    assertPassConsistent('baseline', r.passes.baseline);
    assertPassConsistent('p2p', r.passes.p2p);
    assert.equal(r.cdnBytes.baseline, r.passes.baseline.cdnBytes);
    assert.equal(r.cdnBytes.p2p, r.passes.p2p.cdnBytes);
    const offload = 100 * (1 - r.cdnBytes.p2p / r.cdnBytes.baseline);
    assert.ok(Math.abs(r.offloadPct - offload) < 1e-9, 'offload is computed from the origin meters');
    assert.ok(Math.abs(r.ceilingPct - 100 * (1 - 1 / VIEWERS)) < 1e-9);
    assert.ok(r.offloadPct >= 0 && r.offloadPct <= r.ceilingPct, `offload ${r.offloadPct} outside [0, ceiling]`);
    // Viewers of one live stream joining 3 s apart load mostly the same segments: the distinct ones weigh about one
    // viewer's share (a key that differed per viewer would count every copy; one shared by all, one segment).
    const base = r.passes.baseline;
    const share = base.cdnMediaBytes / VIEWERS;
    assert.ok(
      base.distinctSegmentBytes >= share / 2 && base.distinctSegmentBytes <= 2 * share,
      `distinct ${base.distinctSegmentBytes} B against one viewer's share ${share} B`,
    );
    const manifests = base.cdnBytes - base.cdnMediaBytes;
    const reachable = 100 * (1 - (base.distinctSegmentBytes + manifests) / base.cdnBytes);
    assert.ok(Math.abs(r.reachablePct - reachable) < 1e-9 && r.reachablePct <= r.ceilingPct + 1e-9);
    assert.equal(r.stalls.extra, r.stalls.p2p.count - r.stalls.baseline.count);

    // The baseline is the same engine with P2P off: no peers, no tracker traffic, every load over HTTP.
    assert.equal(base.consistency.p2pReceivedBytes, 0);
    assert.equal(base.consistency.p2pUploadedBytes, 0);
    assert.equal(r.trackerMessages.baseline.total, 0);
    assert.equal(r.segmentLoadMs.baseline.p2p, undefined, 'the baseline answered a request from a peer');
    // The P2P pass found its peers through the tracker and moved bytes between them.
    assert.ok((r.trackerMessages.p2p.received.announce ?? 0) >= VIEWERS, 'every viewer announced');
    assert.ok(r.passes.p2p.consistency.p2pReceivedBytes > 0, 'no P2P bytes moved');

    assertP2pmlPass(r);

    // The table printed without --json is drawn from this same result: every figure there, the goal lines quoting it.
    const table = renderTable(r);
    assert.doesNotMatch(table, /NaN|undefined|Infinity/);
    const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
    const g = r.goals;
    assert.equal(g.offloadMet, r.offloadPct >= g.offloadMinPct);
    assert.equal(g.stallsMet, r.stalls.extra <= g.extraStallsMax);
    assert.equal(g.startupMet, r.startupMs.ratio! <= g.startupMaxRatio);
    const line = (start: string): string => table.split('\n').find((l) => l.startsWith(start)) ?? '';
    assert.ok(line('offload ').includes(`${r.offloadPct.toFixed(1)} %`), line('offload '));
    assert.ok(line('offload ').endsWith(`goal ≥ ${g.offloadMinPct} %: ${verdict(g.offloadMet)}`));
    assert.ok(line('stalls ').endsWith(`extra ${r.stalls.extra}: ${verdict(g.stallsMet)}`), line('stalls '));
    assert.ok(
      line('startup median ms').endsWith(
        `ratio ${r.startupMs.ratio?.toFixed(2)} (goal ≤ ${g.startupMaxRatio}): ${verdict(g.startupMet)}`,
      ),
      line('startup median ms'),
    );
  });
});
