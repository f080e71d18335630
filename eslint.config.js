// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Layer boundaries, as `import-x/no-restricted-paths` zones over resolved paths (relative imports, packages and
 * re-exports alike). Each layer lists all it may import; anything else in the checkout, node_modules included, is
 * refused. Node built-ins are refused in the browser layers by `import-x/no-nodejs-modules` below.
 * - core/ imports core/ only: no player, no package at all, nothing of Node; it runs in the browser as it is.
 * - integrations/<engine>/ imports its own files, integrations/common/, its engine's package, and core through
 *   core/index.ts only: the public API (the package's "." export), the one a third party's integration gets too,
 *   so core's files can move without touching an integration, and what an integration needs is public.
 *   Plus core/internal.ts: what integrations share with core beyond the public API (the config schema machinery
 *   their options are defined with), named as internal so it is no public contract.
 * - integrations/common/ (shared by the integrations) imports core/index.ts and core/internal.ts only.
 * - plugins/<player>/ imports its own files, its ONE integration's index (its package export) and internal.ts (what
 *   that integration shares with its plugins beyond the public API, the options schema and events: no package
 *   entry), core/index.ts, core/internal.ts, its player's package and the engine package that integration drives.
 * - tracker/ (Node) imports tracker/ files, Node built-ins and the `dependencies` of tracker/package.json only (it
 *   is the swarmcast-tracker package and runs without devDependencies); no browser-library file.
 */
const INTEGRATIONS = {
  hlsjs: ['hls.js'],
  vhs: ['video.js'],
  shaka: ['shaka-player'],
  dashjs: ['dashjs'],
};
/** Each player's plugin: the one integration it wraps and the packages it may import (player, then engine). */
const PLUGINS = {
  videojs: { integration: 'vhs', packages: ['video.js'] },
  clappr: { integration: 'hlsjs', packages: ['@clappr/player', 'hls.js'] },
  mediaelement: { integration: 'hlsjs', packages: ['mediaelement', 'hls.js'] },
  flowplayer: { integration: 'hlsjs', packages: ['flowplayer', '@flowplayer/player', 'hls.js'] },
  // JW Player is not on npm: the provider drives hls.js itself.
  jwplayer: { integration: 'hlsjs', packages: ['hls.js'] },
};
/** The tracker is its own package (swarmcast-tracker): what it may import is its own `dependencies`. */
/** @type {{ dependencies: Record<string, string> }} */
const TRACKER_PACKAGE = JSON.parse(readFileSync(new URL('./tracker/package.json', import.meta.url), 'utf8'));

/** A new engine or player folder says what it may import before lint passes (else it would have no zone). */
function assertListed(/** @type {string} */ layer, /** @type {string[]} */ names) {
  for (const entry of readdirSync(new URL(`./${layer}/`, import.meta.url), { withFileTypes: true })) {
    if (entry.isDirectory() && !names.includes(entry.name))
      throw new Error(`eslint.config.js: ${layer}/${entry.name}/ is in no layer table; add it`);
  }
}
assertListed('integrations', [...Object.keys(INTEGRATIONS), 'common']);
assertListed('plugins', Object.keys(PLUGINS));

const CORE_API = './core/index.ts';
const CORE_INTERNAL = './core/internal.ts';
const pkg = (/** @type {string} */ name) => `./node_modules/${name}`;
/** A zone: files under `target` may import nothing in the checkout (node_modules included) but `allowed`. */
const zone = (/** @type {string} */ target, /** @type {string[]} */ allowed, /** @type {string} */ message) => ({
  target,
  from: './',
  except: allowed,
  message,
});
const LAYER_ZONES = [
  zone('./core', ['./core'], 'core/ imports core/ files only: no integration, plugin, tracker or package.'),
  zone(
    './integrations/common',
    ['./integrations/common', CORE_API, CORE_INTERNAL],
    'integrations/common imports core/index.ts and core/internal.ts only.',
  ),
  ...Object.entries(INTEGRATIONS).map(([name, packages]) =>
    zone(
      `./integrations/${name}`,
      [`./integrations/${name}`, './integrations/common', CORE_API, CORE_INTERNAL, ...packages.map(pkg)],
      `integrations/${name}/ imports its own files, integrations/common, core/index.ts, core/internal.ts and ` +
        `${packages.join(', ')} only.`,
    ),
  ),
  ...Object.entries(PLUGINS).map(([name, { integration, packages }]) =>
    zone(
      `./plugins/${name}`,
      [
        `./plugins/${name}`,
        `./integrations/${integration}/index.ts`,
        `./integrations/${integration}/internal.ts`,
        CORE_API,
        CORE_INTERNAL,
        ...packages.map(pkg),
      ],
      `plugins/${name}/ imports its own files, integrations/${integration}/index.ts and internal.ts, core/index.ts, ` +
        `core/internal.ts and ` +
        `${packages.join(', ')} only.`,
    ),
  ),
  zone(
    './tracker',
    [
      './tracker',
      ...Object.keys(TRACKER_PACKAGE.dependencies).flatMap((name) => [pkg(name), `./tracker/node_modules/${name}`]),
    ],
    'tracker/ imports tracker/ files, Node built-ins and the dependencies in tracker/package.json only.',
  ),
];
const LAYERED = ['core/**', 'integrations/**', 'plugins/**', 'tracker/**'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      'node_modules/**',
      '.tmp/**',
      'test/fixtures/**',
      'test/fixtures-long/**',
      'samples/vendor/**',
      'coverage/**',
      '**/*.min.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // Small files everywhere (tests and benches too): past 400 lines a file is split by responsibility.
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  {
    // Layer boundaries: LAYER_ZONES above says what each layer may import, and why.
    files: LAYERED,
    plugins: { 'import-x': importX },
    settings: {
      // Runtime resolution, as the bundler and Node see it; sources import `./x.js` for `./x.ts`.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.js'] },
          conditionNames: ['import', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYER_ZONES }],
      // no-restricted-paths skips what it cannot resolve: an import it cannot follow is an error of its own.
      'import-x/no-unresolved': 'error',
    },
  },
  {
    // The browser package: core, integrations and plugins run in the page as they are, with no Node polyfills.
    files: ['core/**', 'integrations/**', 'plugins/**'],
    plugins: { 'import-x': importX },
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    // Test files: mocha/node:test callbacks and chai's property assertions.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Sample pages' plain scripts run in the browser next to the players' UMD globals.
    files: ['samples/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        ...globals.browser,
        Hls: 'readonly',
        videojs: 'readonly',
        shaka: 'readonly',
        dashjs: 'readonly',
        Clappr: 'readonly',
        flowplayer: 'readonly',
        jwplayer: 'readonly',
        MediaElementPlayer: 'readonly',
        swarmcast: 'readonly',
      },
    },
  },
  prettier,
);
