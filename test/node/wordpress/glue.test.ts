/**
 * The WordPress page script's settings hand-over, against the players' real option validators: the engine
 * setting `integrity` reaches an engine that knows it and is left out for one that does not (the UMD bundles of
 * today), so the plugin works with bundles from before and after that setting.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveMediaElementOptions } from '../../../plugins/mediaelement/options.js';
import { resolveVideojsOptions } from '../../../plugins/videojs/options.js';
import { resolveFlowplayerOptions } from '../../../plugins/flowplayer/options.js';
import {
  coreFor,
  engineKnows,
  run,
  type GlueWindow,
  type Resolver,
  type WpConfig,
} from '../../../wordpress/src/glue.js';

const CONFIG: WpConfig = {
  core: { trackerUrls: ['wss://tracker.example.com'], rtcConfig: { iceServers: [] }, uploadRateBytesPerSec: 1000 },
  integrity: 'spot-check',
  liveDelaySec: 0,
};

/** A validator like the real ones, for an engine that has an `integrity` setting with these modes. */
function withIntegrity(resolve: Resolver, modes: string[]): Resolver {
  return (input) => {
    const { core, ...rest } = input as { core: Record<string, unknown> };
    const { integrity, ...known } = core;
    if (integrity !== undefined && (typeof integrity !== 'string' || !modes.includes(integrity))) {
      throw new Error(`swarmcast: setting "integrity" must be one of ${modes.join(', ')}`);
    }
    return resolve({ ...rest, core: known });
  };
}

const noWarn = (m: string): void => assert.fail(`unexpected warning: ${m}`);

void describe('wordpress/src/glue: settings hand-over', () => {
  for (const [name, resolve] of [
    ['mediaelement', resolveMediaElementOptions],
    ['videojs', resolveVideojsOptions],
    ['flowplayer', resolveFlowplayerOptions],
  ] as const) {
    void it(`${name}: today's engine has no "integrity": it is left out and the rest passes validation`, () => {
      assert.equal(engineKnows(resolve, 'integrity'), false);
      assert.equal(engineKnows(resolve, 'uploadEnabled'), true);
      const core = coreFor(resolve, CONFIG, noWarn);
      assert.deepEqual(core, CONFIG.core);
      resolve({ core });
    });

    void it(`${name}: an engine with "integrity" gets the site's mode`, () => {
      const newer = withIntegrity(resolve, ['auto', 'hash-list', 'spot-check', 'off']);
      assert.equal(engineKnows(newer, 'integrity'), true);
      assert.deepEqual(coreFor(newer, CONFIG, noWarn), { ...CONFIG.core, integrity: 'spot-check' });
    });

    void it(`${name}: a mode the engine rejects is dropped with a warning, the engine's default applies`, () => {
      const other = withIntegrity(resolve, ['auto', 'sha256', 'off']);
      const warnings: string[] = [];
      assert.deepEqual(
        coreFor(other, CONFIG, (m) => warnings.push(m)),
        CONFIG.core,
      );
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /integrity mode "spot-check"/);
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
