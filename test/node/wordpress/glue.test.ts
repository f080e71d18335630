/**
 * The WordPress page script's settings hand-over, against the players' real option validators, and the settings
 * page's integrity modes against the engine's `integrity` setting (the plugin's PHP lists them for its form).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTINGS_SCHEMA } from '../../../core/settings.js';
import { resolveMediaElementOptions } from '../../../plugins/mediaelement/options.js';
import { resolveVideojsOptions } from '../../../plugins/videojs/options.js';
import { resolveFlowplayerOptions } from '../../../plugins/flowplayer/options.js';
import { run, type GlueWindow, type WpConfig } from '../../../wordpress/src/glue.js';

const CONFIG: WpConfig = {
  core: {
    trackerUrls: ['wss://tracker.example.com'],
    rtcConfig: { iceServers: [] },
    uploadRateBytesPerSec: 1000,
    integrity: 'spot-check',
  },
  liveDelaySec: 0,
};

/** `Swarmcast_Options::INTEGRITY_MODES`, read from the plugin's PHP. */
function phpIntegrityModes(): string[] {
  const php = readFileSync(new URL('../../../wordpress/includes/class-swarmcast-options.php', import.meta.url), 'utf8');
  const list = /const INTEGRITY_MODES = array\(([^)]*)\);/.exec(php)?.[1];
  assert.ok(list !== undefined, 'INTEGRITY_MODES not found in class-swarmcast-options.php');
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
}

const noWarn = (m: string): void => assert.fail(`unexpected warning: ${m}`);

void describe('wordpress/src/glue: settings hand-over', () => {
  void it("the settings page offers exactly the engine's integrity modes, default first", () => {
    const spec = SETTINGS_SCHEMA.specs.integrity;
    const type: { kind: string; values?: readonly string[] | undefined } = spec.type;
    assert.deepEqual(phpIntegrityModes(), type.values);
    assert.equal(phpIntegrityModes()[0], spec.default);
  });

  for (const [name, resolve] of [
    ['mediaelement', resolveMediaElementOptions],
    ['videojs', resolveVideojsOptions],
    ['flowplayer', resolveFlowplayerOptions],
  ] as const) {
    void it(`${name}: every integrity mode of the settings page passes the player's validator`, () => {
      for (const integrity of phpIntegrityModes()) resolve({ core: { ...CONFIG.core, integrity } });
      assert.throws(() => resolve({ core: { ...CONFIG.core, integrity: 'sha256' } }), /integrity/);
    });
  }

  void it('MediaElement: adds the p2p feature and options to WordPress settings, keeping its features', () => {
    const settings: Record<string, unknown> = {
      features: ['playpause', 'volume'],
      pluginPath: '/wp-includes/js/mediaelement/',
    };
    const win: GlueWindow = {
      swarmcastWp: { ...CONFIG, liveDelaySec: 12 },
      swarmcast: { mediaelement: { resolveMediaElementOptions, registration: {} } },
      _wpmejsSettings: settings,
    };
    assert.deepEqual(run(win, noWarn), ['mediaelement']);
    assert.deepEqual(settings.features, ['playpause', 'volume', 'p2p']);
    assert.deepEqual(settings.p2p, { core: CONFIG.core, liveSyncDurationSec: 12 });
    assert.equal(settings.pluginPath, '/wp-includes/js/mediaelement/');
  });

  void it('a setting the engine rejects: a warning, no P2P, nothing thrown to the page', () => {
    const win: GlueWindow = {
      swarmcastWp: { ...CONFIG, core: { ...CONFIG.core, trackerUrls: 'not a list' } },
      swarmcast: { mediaelement: { resolveMediaElementOptions, registration: {} } },
      _wpmejsSettings: {},
    };
    const warnings: string[] = [];
    assert.deepEqual(
      run(win, (m) => warnings.push(m)),
      [],
    );
    assert.equal(win._wpmejsSettings?.p2p, undefined);
    assert.equal(win._wpmejsSettings?.features, undefined);
    assert.match(warnings.join('\n'), /trackerUrls/);
  });

  void it('Video.js: autoAttach with the options; a page that turned the drop-in off is left alone', () => {
    const calls: unknown[] = [];
    const videojs = {};
    const bundle = {
      resolveVideojsOptions,
      autoAttach: (vjs: unknown, options: unknown) => {
        calls.push([vjs, options]);
        return { stop: () => undefined };
      },
    };
    const win: GlueWindow = { swarmcastWp: { ...CONFIG, liveDelaySec: 8 }, swarmcast: { videojs: bundle }, videojs };
    assert.deepEqual(run(win, noWarn), ['videojs']);
    assert.deepEqual(calls, [[videojs, { core: CONFIG.core, preferVhs: true, liveDelaySec: 8 }]]);
    const off: GlueWindow = { swarmcastWp: CONFIG, swarmcast: { videojs: bundle }, videojs, swarmcastConfig: false };
    assert.deepEqual(run(off, noWarn), []);
    assert.equal(calls.length, 1);
  });

  void it('Video.js: a player whose VHS handler the plugin missed (markup sources) is bound again at loadstart', () => {
    const hooks: ((p: unknown) => void)[] = [];
    const attached: unknown[] = [];
    const vhs = {};
    const vhsP2P = {
      vhs: undefined as unknown,
      detach: () => attached.push('detach'),
      attach: (p: unknown) => {
        attached.push(p);
        vhsP2P.vhs = vhs;
      },
    };
    const listeners: Record<string, () => void> = {};
    const player = {
      on: (type: string, fn: () => void) => (listeners[type] = fn),
      usingPlugin: () => true,
      p2p: () => ({ p2p: vhsP2P }),
      tech: () => ({ vhs }),
    };
    const videojs = { hook: (_t: string, fn: (p: unknown) => void) => hooks.push(fn), getPlayers: () => ({}) };
    const bundle = { resolveVideojsOptions, autoAttach: () => ({}) };
    assert.deepEqual(run({ swarmcastWp: CONFIG, swarmcast: { videojs: bundle }, videojs }, noWarn), ['videojs']);
    assert.equal(hooks.length, 1);
    hooks[0]?.(player);
    listeners.loadstart?.();
    assert.deepEqual(attached, ['detach', player]);
    listeners.loadstart?.(); // bound now: left alone
    assert.equal(attached.length, 2);
  });

  void it("FV Player: page-wide flowplayer.conf.p2p, registered on FV's freedomplayer global when needed", () => {
    const registered: unknown[] = [];
    const freedomplayer = { conf: {} as Record<string, unknown>, engine: () => ({}) };
    const win: GlueWindow = {
      swarmcastWp: CONFIG,
      swarmcast: {
        flowplayer: {
          resolveFlowplayerOptions,
          registerFlowplayer7: (fp: unknown) => registered.push(fp),
          flowplayer7: undefined,
        },
      },
      freedomplayer,
    };
    assert.deepEqual(run(win, noWarn), ['flowplayer']);
    assert.deepEqual(registered, [freedomplayer]);
    assert.deepEqual(freedomplayer.conf.p2p, { core: CONFIG.core });
  });
});
