/**
 * The layer boundaries of eslint.config.js: for each layer, the imports it may make lint clean and the ones it may
 * not (another layer, another engine's integration, another player's plugin, core's internals, a package or a
 * Node built-in that layer has no business with) fail with the boundary rule. The probe is a virtual file in the
 * layer's folder, so each import is resolved from where a real file would be.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from './lint.js';

const RESTRICTED = 'import-x/no-restricted-paths';
const BUILTIN = 'import-x/no-nodejs-modules';

/** A module that only re-exports `from`, so the probe has no other reason to be reported. */
const reExport = (from: string): string => `export * from '${from}';\n`;

interface Case {
  /** The probe's path in the checkout. */
  file: string;
  from: string;
  /** The rule expected to refuse it; absent: the import is allowed and the probe lints clean. */
  rule?: string;
  code?: string;
}

async function check({ file, from, rule, code }: Case): Promise<void> {
  const findings = await lint(file, code ?? reExport(from));
  if (rule === undefined) assert.deepEqual(findings, [], `${file} may import ${from}`);
  else
    assert.ok(
      findings.length === 1 && findings[0]?.ruleId === rule,
      `${file} importing ${from}: expected one ${rule} error, got ${JSON.stringify(findings)}`,
    );
}

const cases = (title: string, list: Case[]): void => {
  void it(title, async () => {
    for (const c of list) await check(c);
  });
};

void describe('lint: layer boundaries', () => {
  const core = 'core/lint-probe.ts';
  const coreDeep = 'core/p2p/lint-probe.ts';
  cases('core/ imports core/ files, from any depth', [
    { file: core, from: './engine.js' },
    { file: core, from: './p2p/index.js' },
    { file: coreDeep, from: '../types.js' },
    { file: coreDeep, from: './wire.js' },
  ]);
  cases('core/ imports no integration, plugin, tracker, test, bench or package, and nothing of Node', [
    { file: core, from: '../integrations/hlsjs/index.js', rule: RESTRICTED },
    { file: coreDeep, from: '../../integrations/common/playback.js', rule: RESTRICTED },
    { file: core, from: '../plugins/videojs/index.js', rule: RESTRICTED },
    { file: core, from: '../tracker/protocol.js', rule: RESTRICTED },
    { file: core, from: '../test/support/fixtures.js', rule: RESTRICTED },
    { file: core, from: '../bench/shared/setting-value.js', rule: RESTRICTED },
    { file: core, from: 'hls.js', rule: RESTRICTED },
    { file: core, from: 'ws', rule: RESTRICTED },
    { file: core, from: 'node:events', rule: BUILTIN },
    { file: core, from: 'events', rule: BUILTIN },
    // A static import, a re-export and a dynamic import are alike.
    {
      file: core,
      from: 'tracker',
      code: "import { x } from '../tracker/index.js';\nexport const y = x;\n",
      rule: RESTRICTED,
    },
    {
      file: core,
      from: 'tracker (dynamic)',
      code: "export const load = (): Promise<unknown> => import('../tracker/index.js');\n",
      rule: RESTRICTED,
    },
  ]);

  cases("an integration imports its own files, integrations/common, core's index and its engine's package", [
    { file: 'integrations/hlsjs/lint-probe.ts', from: './binding.js' },
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../common/playback.js' },
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../../core/index.js' },
    { file: 'integrations/hlsjs/lint-probe.ts', from: 'hls.js' },
    { file: 'integrations/shaka/lint-probe.ts', from: 'shaka-player' },
    { file: 'integrations/vhs/lint-probe.ts', from: '../../core/index.js' },
    { file: 'integrations/common/lint-probe.ts', from: '../../core/index.js' },
    // The config schema machinery, shared on purpose under an explicitly internal name.
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../../core/internal.js' },
    { file: 'integrations/common/lint-probe.ts', from: '../../core/internal.js' },
  ]);
  cases("an integration imports no other integration, plugin, tracker, core internals or other engine's package", [
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../vhs/index.js', rule: RESTRICTED },
    { file: 'integrations/shaka/lint-probe.ts', from: '../hlsjs/segments.js', rule: RESTRICTED },
    { file: 'integrations/vhs/lint-probe.ts', from: '../../plugins/videojs/index.js', rule: RESTRICTED },
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../../tracker/index.js', rule: RESTRICTED },
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../../core/engine.js', rule: RESTRICTED },
    { file: 'integrations/hlsjs/lint-probe.ts', from: '../../core/p2p/index.js', rule: RESTRICTED },
    { file: 'integrations/hlsjs/lint-probe.ts', from: 'shaka-player', rule: RESTRICTED },
    { file: 'integrations/shaka/lint-probe.ts', from: 'video.js', rule: RESTRICTED },
    { file: 'integrations/hlsjs/lint-probe.ts', from: 'node:crypto', rule: BUILTIN },
    // The shared part belongs to no engine.
    { file: 'integrations/common/lint-probe.ts', from: '../hlsjs/index.js', rule: RESTRICTED },
    { file: 'integrations/common/lint-probe.ts', from: 'hls.js', rule: RESTRICTED },
  ]);

  cases("a plugin imports its own files, its one integration's index, core's index and its player's packages", [
    { file: 'plugins/videojs/lint-probe.ts', from: './plugin.js' },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../integrations/vhs/index.js' },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../core/index.js' },
    { file: 'plugins/videojs/lint-probe.ts', from: 'video.js' },
    { file: 'plugins/clappr/lint-probe.ts', from: '../../integrations/hlsjs/index.js' },
    { file: 'plugins/clappr/lint-probe.ts', from: 'hls.js' },
    { file: 'plugins/clappr/lint-probe.ts', from: '@clappr/player' },
    { file: 'plugins/mediaelement/lint-probe.ts', from: '../../integrations/hlsjs/index.js' },
    { file: 'plugins/mediaelement/lint-probe.ts', from: 'mediaelement' },
    { file: 'plugins/flowplayer/lint-probe.ts', from: '../../integrations/hlsjs/index.js' },
    { file: 'plugins/flowplayer/lint-probe.ts', from: 'flowplayer' },
    { file: 'plugins/flowplayer/lint-probe.ts', from: '@flowplayer/player' },
    { file: 'plugins/jwplayer/lint-probe.ts', from: '../../integrations/hlsjs/index.js' },
    { file: 'plugins/flowplayer/lint-probe.ts', from: '../../integrations/hlsjs/internal.js' },
    { file: 'plugins/jwplayer/lint-probe.ts', from: 'hls.js' },
    { file: 'plugins/clappr/lint-probe.ts', from: '../../core/internal.js' },
  ]);
  cases("a plugin imports no other player's plugin, other integration, integration internals or tracker", [
    { file: 'plugins/clappr/lint-probe.ts', from: '../videojs/index.js', rule: RESTRICTED },
    { file: 'plugins/jwplayer/lint-probe.ts', from: '../mediaelement/feature.js', rule: RESTRICTED },
    { file: 'plugins/clappr/lint-probe.ts', from: '../../integrations/vhs/index.js', rule: RESTRICTED },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../integrations/hlsjs/index.js', rule: RESTRICTED },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../integrations/shaka/index.js', rule: RESTRICTED },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../integrations/hlsjs/internal.js', rule: RESTRICTED },
    { file: 'plugins/mediaelement/lint-probe.ts', from: '../../integrations/hlsjs/binding.js', rule: RESTRICTED },
    { file: 'plugins/flowplayer/lint-probe.ts', from: '../../integrations/common/playback.js', rule: RESTRICTED },
    { file: 'plugins/videojs/lint-probe.ts', from: '../../core/engine.js', rule: RESTRICTED },
    { file: 'plugins/clappr/lint-probe.ts', from: '../../tracker/index.js', rule: RESTRICTED },
    { file: 'plugins/videojs/lint-probe.ts', from: 'hls.js', rule: RESTRICTED },
    { file: 'plugins/clappr/lint-probe.ts', from: 'mediaelement', rule: RESTRICTED },
    { file: 'plugins/jwplayer/lint-probe.ts', from: 'node:events', rule: BUILTIN },
  ]);

  cases('tracker/ imports its own files, Node built-ins and the runtime dependencies', [
    { file: 'tracker/lint-probe.ts', from: './protocol.js' },
    { file: 'tracker/lint-probe.ts', from: 'node:http' },
    { file: 'tracker/lint-probe.ts', from: 'ws' },
    { file: 'tracker/lint-probe.ts', from: 'ioredis' },
  ]);
  cases('tracker/ imports no browser-library file and no devDependency', [
    { file: 'tracker/lint-probe.ts', from: '../integrations/hlsjs/index.js', rule: RESTRICTED },
    { file: 'tracker/lint-probe.ts', from: '../core/index.js', rule: RESTRICTED },
    { file: 'tracker/lint-probe.ts', from: '../core/p2p/wire.js', rule: RESTRICTED },
    { file: 'tracker/lint-probe.ts', from: '../plugins/videojs/index.js', rule: RESTRICTED },
    { file: 'tracker/lint-probe.ts', from: '../test/support/fixtures.js', rule: RESTRICTED },
    { file: 'tracker/lint-probe.ts', from: 'bittorrent-tracker', rule: RESTRICTED },
  ]);

  cases('an import the boundary rule cannot follow is an error of its own, in every layer', [
    { file: core, from: './no-such-file.js', rule: 'import-x/no-unresolved' },
    { file: 'integrations/hlsjs/lint-probe.ts', from: 'no-such-package', rule: 'import-x/no-unresolved' },
    { file: 'plugins/clappr/lint-probe.ts', from: '../../integrations/hlsjs/gone.js', rule: 'import-x/no-unresolved' },
    { file: 'tracker/lint-probe.ts', from: './gone.js', rule: 'import-x/no-unresolved' },
  ]);
});
