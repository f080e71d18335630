// Browser bundles. Adding a player or engine = one line in BUILD_TABLE (scripts/build.ts also keeps
// package.json "exports" in sync with it).
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
/** core/version.ts reads it: every bundle reports the package's version, written nowhere else. */
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/**
 * name: file and subpath (`swarmcast/<subpath>`); global: UMD global; players: peer dependency → its global.
 * @type {{ name: string; subpath: string; input: string; global: string; players: Record<string, string> }[]}
 */
export const BUILD_TABLE = [
  { name: 'swarmcast', subpath: '.', input: 'core/index.ts', global: 'swarmcast', players: {} },
  {
    name: 'swarmcast-hlsjs',
    subpath: './hlsjs',
    input: 'integrations/hlsjs/index.ts',
    global: 'swarmcast.hlsjs',
    players: { 'hls.js': 'Hls' },
  },
  {
    name: 'swarmcast-vhs',
    subpath: './vhs',
    input: 'integrations/vhs/index.ts',
    global: 'swarmcast.vhs',
    players: { 'video.js': 'videojs' },
  },
  {
    name: 'swarmcast-shaka',
    subpath: './shaka',
    input: 'integrations/shaka/index.ts',
    global: 'swarmcast.shaka',
    players: { 'shaka-player': 'shaka' },
  },
  {
    name: 'swarmcast-dashjs',
    subpath: './dashjs',
    input: 'integrations/dashjs/index.ts',
    global: 'swarmcast.dashjs',
    players: { dashjs: 'dashjs' },
  },
  {
    name: 'swarmcast-videojs',
    subpath: './videojs',
    input: 'plugins/videojs/index.ts',
    global: 'swarmcast.videojs',
    players: { 'video.js': 'videojs' },
  },
  {
    name: 'swarmcast-clappr',
    subpath: './clappr',
    input: 'plugins/clappr/index.ts',
    global: 'swarmcast.clappr',
    players: { '@clappr/player': 'Clappr' },
  },
  {
    name: 'swarmcast-mediaelement',
    subpath: './mediaelement',
    input: 'plugins/mediaelement/index.ts',
    global: 'swarmcast.mediaelement',
    players: { mediaelement: 'MediaElementPlayer', 'hls.js': 'Hls' },
  },
  {
    name: 'swarmcast-flowplayer',
    subpath: './flowplayer',
    input: 'plugins/flowplayer/index.ts',
    global: 'swarmcast.flowplayer',
    players: { flowplayer: 'flowplayer', '@flowplayer/player': 'flowplayer', 'hls.js': 'Hls' },
  },
  {
    name: 'swarmcast-jwplayer',
    subpath: './jwplayer',
    input: 'plugins/jwplayer/index.ts',
    global: 'swarmcast.jwplayer',
    players: { 'hls.js': 'Hls' },
  },
];

/**
 * The ECMAScript version every bundle is written in (esbuild lowers newer syntax to it): ES2020 runs in Chrome and
 * Edge 80+, Firefox 74+, Safari 14+ (README "Browser support"). test/node/package/targets.test.ts parses each built
 * bundle at this version.
 */
export const BROWSER_TARGET = 'es2020';

/** Entries whose source exists; the table lists what is planned. */
export const ENTRIES = BUILD_TABLE.filter((entry) => existsSync(path.join(ROOT, entry.input)));

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
// Polyfill packages that bundlers pull in for Node APIs; none of them may reach a browser bundle.
const NODE_POLYFILLS = new Set(['buffer', 'events', 'stream', 'process', 'util', 'readable-stream', 'safe-buffer']);

/** Fails the build when a Node built-in or a Node polyfill is imported by browser code. */
export function noNodeInBrowser() {
  return {
    name: 'no-node-in-browser',
    resolveId(id, importer) {
      if (NODE_BUILTINS.has(id) || NODE_POLYFILLS.has(id)) {
        this.error(
          `"${id}" imported by ${importer ?? 'entry'}: Node built-ins/polyfills are not allowed in browser bundles`,
        );
      }
      return null;
    },
    renderChunk(code, chunk, output) {
      // The CommonJS build requires its own chunks (`./chunks/…`): any other require() is a leak.
      const leak = output.format === 'cjs' ? /\brequire\(\s*['"](?!\.\/)/ : /\brequire\(\s*['"]/;
      if (/\bBuffer\.(from|alloc|concat|isBuffer)\b/.test(code) || leak.test(code)) {
        this.error(`${chunk.fileName} uses Buffer or require(): a Node polyfill leaked into a browser bundle`);
      }
      return null;
    },
  };
}

/** Sources import `./x.js`; the file on disk is `./x.ts`. */
function tsFromJs() {
  return {
    name: 'ts-from-js',
    resolveId(id, importer) {
      if (!importer || !id.startsWith('.') || !id.endsWith('.js')) return null;
      const candidate = path.resolve(path.dirname(importer), id.slice(0, -3) + '.ts');
      return existsSync(candidate) ? candidate : null;
    },
  };
}

const plugins = (minify) => [
  noNodeInBrowser(),
  tsFromJs(),
  nodeResolve({ browser: true, preferBuiltins: false }),
  // Class fields as plain assignments: esbuild otherwise adds a defineProperty helper per module (~0.8 KB gzip).
  esbuild({
    target: BROWSER_TARGET,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    define: { __SWARMCAST_VERSION__: JSON.stringify(VERSION) },
  }),
  ...(minify ? [terser({ format: { comments: false }, compress: { passes: 2 } })] : []),
];

const allPlayers = Object.assign({}, ...BUILD_TABLE.map((e) => e.players));
const isPlayer = (id) => Object.keys(allPlayers).some((p) => id === p || id.startsWith(`${p}/`));

/** ESM and CommonJS: one build for every entry so they share core through chunks. */
const esm = {
  input: Object.fromEntries(ENTRIES.map((e) => [e.name, path.join(ROOT, e.input)])),
  external: isPlayer,
  plugins: plugins(false),
  output: [
    {
      dir: path.join(ROOT, 'dist/esm'),
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
    // CommonJS for `require('swarmcast/...')`; dist/cjs/package.json (written by scripts/build.ts) marks it so.
    {
      dir: path.join(ROOT, 'dist/cjs'),
      format: 'cjs',
      exports: 'named',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
    },
  ],
};

/** UMD: one self-contained minified script per entry, for <script> tags and WordPress. */
const umd = ENTRIES.map((entry) => ({
  input: path.join(ROOT, entry.input),
  external: isPlayer,
  plugins: plugins(true),
  output: {
    file: path.join(ROOT, `dist/umd/${entry.name}.min.js`),
    format: 'umd',
    name: entry.global,
    extend: true,
    globals: allPlayers,
    sourcemap: true,
    exports: 'named',
  },
}));

export default ENTRIES.length > 0 ? [esm, ...umd] : [];
