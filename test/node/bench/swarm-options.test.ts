/** bench:swarm's command line: `--set` engine overrides are checked here, before any browser starts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions, SWARM_BENCH_DEFAULTS } from '../../../bench/swarm/options.js';

void describe('bench:swarm options: --set', () => {
  void it('passes engine overrides typed like their defaults, none by default', () => {
    assert.deepEqual(SWARM_BENCH_DEFAULTS.engineSettings, {});
    const o = parseOptions(['--set', 'p2pJoinWhenPlayable=true', '--set', 'p2pWaitMaxMs=2000']);
    assert.ok(o !== 'help');
    assert.deepEqual(o.engineSettings, { p2pJoinWhenPlayable: true, p2pWaitMaxMs: 2000 });
  });

  void it('rejects unknown keys, bad values and p2pEnabled with a readable message', () => {
    assert.throws(
      () => parseOptions(['--set', 'p2pWaitMax=1']),
      (e: unknown) => {
        assert.ok(e instanceof OptionsError);
        assert.match(e.message, /p2pWaitMax/);
        assert.match(e.message, /p2pWaitMaxMs/, 'suggests the likely key');
        return true;
      },
    );
    assert.throws(() => parseOptions(['--set', 'p2pWaitMaxMs=soon']), /expected a number/);
    assert.throws(() => parseOptions(['--set', 'p2pJoinWhenPlayable=1']), /expected true or false/);
    assert.throws(() => parseOptions(['--set', 'p2pWaitMaxMs']), /expects key=value/);
    assert.throws(() => parseOptions(['--set', 'p2pEnabled=true']), /the bench sets it/);
    assert.throws(() => parseOptions(['--set', 'p2pWaitMaxMs=-5']), OptionsError, 'the engine validator runs too');
  });
});

void describe('bench:swarm options: --cap-to-player-size', () => {
  void it("leaves each player's default unless given yes or no", () => {
    assert.equal(SWARM_BENCH_DEFAULTS.capToPlayerSize, undefined);
    const yes = parseOptions(['--cap-to-player-size', 'yes']);
    const no = parseOptions(['--cap-to-player-size', 'no']);
    assert.ok(yes !== 'help' && no !== 'help');
    assert.equal(yes.capToPlayerSize, true);
    assert.equal(no.capToPlayerSize, false);
    assert.throws(() => parseOptions(['--cap-to-player-size', 'maybe']), /must be yes or no, got "maybe"/);
  });
});

void describe('bench:swarm options: --origin-gzip', () => {
  void it('gzips playlists unless told no', () => {
    assert.equal(SWARM_BENCH_DEFAULTS.originGzip, true);
    const no = parseOptions(['--origin-gzip', 'no']);
    assert.ok(no !== 'help');
    assert.equal(no.originGzip, false);
    assert.throws(() => parseOptions(['--origin-gzip', 'br']), /--origin-gzip must be yes or no, got "br"/);
  });
});

void describe('bench:swarm options: what users run', () => {
  void it('--profile defaults is what users run; options given override it', () => {
    const o = parseOptions(['--profile', 'defaults']);
    assert.ok(o !== 'help');
    assert.deepEqual([o.originKbps, o.liveDelaySec, o.viewers, o.joinSpreadMs], [0, undefined, 10, 10_000]);
    const six = parseOptions(['--profile', 'defaults', '--viewers', '6', '--live-delay-sec', '12']);
    assert.ok(six !== 'help' && six.viewers === 6 && six.liveDelaySec === 12 && six.originKbps === 0);
    assert.throws(() => parseOptions(['--profile', 'fast']), /--profile must be one of defaults/);
  });

  void it("--live-delay-sec takes a number or default (each player's own)", () => {
    const d = parseOptions(['--live-delay-sec', 'default']);
    assert.ok(d !== 'help' && d.liveDelaySec === undefined);
    assert.throws(() => parseOptions(['--live-delay-sec=-1']), /number ≥ 0 or "default"/);
  });

  void it('--json-out writes the JSON beside the table; a missing path is refused', () => {
    const none = parseOptions([]);
    assert.ok(none !== 'help' && none.jsonOut === undefined);
    const o = parseOptions(['--json-out', '/tmp/run.json']);
    assert.ok(o !== 'help' && o.jsonOut === '/tmp/run.json');
    assert.equal(o.json, false, 'the table still prints');
    assert.throws(() => parseOptions(['--json-out', ' ']), /--json-out must be a file path/);
  });

  void it('--stream vod-long is for HLS players only', () => {
    const o = parseOptions(['--stream', 'vod-long']);
    assert.ok(o !== 'help' && o.stream === 'vod-long');
    assert.throws(() => parseOptions(['--stream', 'vod-long', '--player', 'shaka']), /HLS only/);
  });
});

void describe('bench:swarm options: --integrity and --hash-lists', () => {
  void it("runs the engine's default with hash lists published unless told otherwise", () => {
    assert.equal(SWARM_BENCH_DEFAULTS.integrity, 'auto');
    assert.equal(SWARM_BENCH_DEFAULTS.hashLists, true);
    const o = parseOptions(['--integrity', 'spot-check', '--hash-lists', 'no']);
    assert.ok(o !== 'help');
    assert.equal(o.integrity, 'spot-check');
    assert.equal(o.hashLists, false);
    assert.throws(() => parseOptions(['--integrity', 'sha256']), /--integrity must be one of auto, hash-list/);
    assert.throws(() => parseOptions(['--hash-lists', 'maybe']), /--hash-lists must be yes or no/);
    assert.throws(() => parseOptions(['--set', 'integrity=off']), /only number and boolean settings/);
  });
});

void describe('bench:swarm options: --p2pml', () => {
  void it("runs P2P Media Loader's pass for hls.js by default, not for other players", () => {
    const hls = parseOptions([]);
    const no = parseOptions(['--p2pml', 'no']);
    const vjs = parseOptions(['--player', 'videojs']);
    assert.ok(hls !== 'help' && no !== 'help' && vjs !== 'help');
    assert.deepEqual([hls.p2pml, no.p2pml, vjs.p2pml], [true, false, false]);
    const virtual = parseOptions(['--viewers', '12', '--real-max', '4']);
    assert.ok(virtual !== 'help' && !virtual.p2pml, 'virtual viewers are swarmcast engines');
  });

  void it('refuses it where it cannot run, with the reason', () => {
    assert.throws(() => parseOptions(['--player', 'videojs', '--p2pml', 'yes']), /hls\.js only.*--player videojs/);
    assert.throws(() => parseOptions(['--virtual', '--p2pml', 'yes']), /real players only/);
    assert.throws(() => parseOptions(['--p2pml', 'maybe']), /--p2pml must be yes or no, got "maybe"/);
  });
});
