/**
 * Builds the installable WordPress plugin, dist/swarmcast-wordpress.zip (one `swarmcast/` folder, as WordPress's
 * "Upload Plugin" expects): the PHP and readme from wordpress/, the player bundles from dist/umd (so it runs
 * after the UMD build), hls.js from node_modules (shipped, so visitors' browsers never fetch it from a CDN), and
 * the page script compiled from wordpress/src. Called by scripts/build.ts.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLUGIN_DIR = path.join(ROOT, 'wordpress');
const SLUG = 'swarmcast';
export const WORDPRESS_ZIP = path.join(ROOT, 'dist/swarmcast-wordpress.zip');
/** The players the plugin enqueues a bundle for (dist/umd/swarmcast-<player>.min.js). */
const BUNDLES = ['mediaelement', 'videojs', 'flowplayer'];
/** Fixed file dates: the same sources give the same zip. */
const MTIME = new Date('2026-01-01T00:00:00Z');

function read(file: string): Buffer {
  return readFileSync(file);
}

/** The version the plugin header, the readme's stable tag and package.json must agree on. */
function checkVersions(version: string): void {
  const header = /^\s*\*\s*Version:\s*(\S+)/m.exec(read(path.join(PLUGIN_DIR, 'swarmcast.php')).toString())?.[1];
  const constant = /define\(\s*'SWARMCAST_VERSION',\s*'([^']+)'/.exec(
    read(path.join(PLUGIN_DIR, 'swarmcast.php')).toString(),
  )?.[1];
  const stable = /^Stable tag:\s*(\S+)/m.exec(read(path.join(PLUGIN_DIR, 'readme.txt')).toString())?.[1];
  for (const [what, value] of [
    ['swarmcast.php "Version:"', header],
    ['SWARMCAST_VERSION', constant],
    ['readme.txt "Stable tag:"', stable],
  ] as const) {
    if (value !== version) throw new Error(`wordpress/: ${what} is ${String(value)}, package.json is ${version}`);
  }
}

/** wordpress/src → one readable script (WordPress.org asks for human-readable code in plugins). */
async function pageScript(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [path.join(PLUGIN_DIR, 'src/index.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    banner: { js: '/* swarmcast for WordPress: page script, built from wordpress/src (TypeScript). */' },
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no page script');
  return file.contents;
}

export async function buildWordPressZip(): Promise<{ file: string; bytes: number }> {
  const pkg = JSON.parse(read(path.join(ROOT, 'package.json')).toString()) as { version: string };
  const hlsPkg = JSON.parse(read(path.join(ROOT, 'node_modules/hls.js/package.json')).toString()) as {
    version: string;
  };
  checkVersions(pkg.version);

  const includes: Zippable = {};
  for (const name of readdirSync(path.join(PLUGIN_DIR, 'includes'))
    .filter((f) => f.endsWith('.php'))
    .sort()) {
    includes[name] = read(path.join(PLUGIN_DIR, 'includes', name));
  }
  includes['build-info.php'] = Buffer.from(
    `<?php\n/**\n * Written by the build.\n *\n * @package Swarmcast\n */\n\ndefined( 'ABSPATH' ) || exit;\n\n` +
      `define( 'SWARMCAST_HLSJS_VERSION', '${hlsPkg.version}' );\n`,
  );
  const js: Zippable = {
    'swarmcast-wp.js': await pageScript(),
    'hls.min.js': read(path.join(ROOT, 'node_modules/hls.js/dist/hls.min.js')),
    'hls.js-LICENSE.txt': read(path.join(ROOT, 'node_modules/hls.js/LICENSE')),
  };
  for (const player of BUNDLES) {
    js[`swarmcast-${player}.min.js`] = read(path.join(ROOT, `dist/umd/swarmcast-${player}.min.js`));
  }
  const tree: Zippable = {
    [SLUG]: {
      'swarmcast.php': read(path.join(PLUGIN_DIR, 'swarmcast.php')),
      'uninstall.php': read(path.join(PLUGIN_DIR, 'uninstall.php')),
      'readme.txt': read(path.join(PLUGIN_DIR, 'readme.txt')),
      includes,
      js,
    },
  };
  const zip = zipSync(tree, { level: 9, mtime: MTIME });
  writeFileSync(WORDPRESS_ZIP, zip);
  return { file: path.relative(ROOT, WORDPRESS_ZIP), bytes: zip.length };
}
