/**
 * `npm run bench:size`: what P2P adds to an app's bundle, swarmcast beside P2P Media Loader, for hls.js, Video.js
 * and Shaka. The app is a fresh project with the packed swarmcast tarball (test/support/consumer.ts, from what
 * `npm run build` left in dist/) and P2P Media Loader from the npm registry; each page is bundled by esbuild as an
 * app would (ESM, minified, ES2020, browser) and gzipped at level 9. Baseline, same run: the player alone.
 *
 * - swarmcast: the README's example for each player, as written.
 * - P2P Media Loader: the same page in its API (`HlsJsP2PEngine.injectMixin`, `ShakaP2PEngine`). Its default
 *   `import` entry pulls bittorrent-tracker's sources, which need a Node `events` polyfill to bundle; its own
 *   pre-bundled core (export condition `p2pml:core-as-bundle`) needs none, so that is the route measured.
 *   It has no Video.js integration (Video.js plays HLS through VHS, which it does not hook): n/a.
 */
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeConsumer, tsBlocks } from '../../test/support/consumer.js';

/** The newest on npm: core and hls.js at 2.3.1; the Shaka integration stopped at 2.2.2 (it brings core 2.2.2). */
const P2PML = {
  core: 'p2p-media-loader-core@2.3.1',
  hlsjs: 'p2p-media-loader-hlsjs@2.3.1',
  shaka: 'p2p-media-loader-shaka@2.2.2',
};
const TRACKER = 'wss://tracker.example.com';
const HLS_URL = 'https://cdn.example.com/live/master.m3u8';
const DASH_URL = 'https://cdn.example.com/stream/manifest.mpd';

interface Page {
  file: string;
  code: string;
  conditions?: string[];
  /** A string only that library's code holds: the bundle must contain it (nothing tree-shaken away). */
  marker: string;
}

interface Row {
  player: string;
  alone: Page;
  swarmcast: Page;
  p2pml: Page | string;
}

function readmeExample(readme: string, specifier: string): string {
  const code = tsBlocks(readme).find((block) => block.includes(`from '${specifier}'`));
  if (!code) throw new Error(`README.md has no example importing ${specifier}`);
  return code;
}

function rows(readme: string): Row[] {
  return [
    {
      player: 'hls.js',
      alone: {
        file: 'size-hlsjs-alone.ts',
        code: `import Hls from 'hls.js';\nconst video = document.querySelector('video');\nconst hls = new Hls();\nhls.loadSource('${HLS_URL}');\nif (video) hls.attachMedia(video);\n`,
        marker: 'hlsFragLoaded',
      },
      swarmcast: {
        file: 'size-hlsjs-swarmcast.ts',
        code: readmeExample(readme, 'swarmcast/hlsjs'),
        marker: 'segment-loaded',
      },
      p2pml: {
        file: 'size-hlsjs-p2pml.ts',
        code:
          `import Hls from 'hls.js';\nimport { HlsJsP2PEngine } from 'p2p-media-loader-hlsjs';\n` +
          `const video = document.querySelector('video');\n` +
          `const hls = new (HlsJsP2PEngine.injectMixin(Hls))({ p2p: { core: { announceTrackers: ['${TRACKER}'] } } });\n` +
          `hls.loadSource('${HLS_URL}');\nif (video) hls.attachMedia(video);\n` +
          `hls.p2pEngine.addEventListener('onSegmentLoaded', (e) => console.log(e.bytesLength));\n`,
        conditions: ['p2pml:core-as-bundle'],
        marker: 'announceTrackers',
      },
    },
    {
      player: 'Video.js',
      alone: {
        file: 'size-videojs-alone.ts',
        code: `import videojs from 'video.js';\nconst player = videojs('my-video');\nplayer.src({ src: '${HLS_URL}', type: 'application/x-mpegURL' });\n`,
        marker: 'vjs-tech',
      },
      swarmcast: {
        file: 'size-videojs-swarmcast.ts',
        code: readmeExample(readme, 'swarmcast/videojs'),
        marker: 'segment-loaded',
      },
      p2pml: 'n/a (no Video.js integration)',
    },
    {
      player: 'Shaka',
      alone: {
        file: 'size-shaka-alone.ts',
        code: `import shaka from 'shaka-player';\nconst player = new shaka.Player();\nvoid player.load('${DASH_URL}');\n`,
        marker: 'shaka',
      },
      swarmcast: {
        file: 'size-shaka-swarmcast.ts',
        code: readmeExample(readme, 'swarmcast/shaka'),
        marker: 'segment-loaded',
      },
      p2pml: {
        file: 'size-shaka-p2pml.ts',
        code:
          `import shaka from 'shaka-player';\nimport { ShakaP2PEngine } from 'p2p-media-loader-shaka';\n` +
          `ShakaP2PEngine.registerPlugins(shaka);\nconst player = new shaka.Player();\n` +
          `const p2p = new ShakaP2PEngine({ core: { announceTrackers: ['${TRACKER}'] } }, shaka);\n` +
          `p2p.bindShakaPlayer(player);\nvoid player.load('${DASH_URL}');\n`,
        conditions: ['p2pml:core-as-bundle'],
        marker: 'announceTrackers',
      },
    },
  ];
}

async function gzipBytes(dir: string, page: Page): Promise<number> {
  writeFileSync(path.join(dir, page.file), page.code);
  const r = await build({
    absWorkingDir: dir,
    entryPoints: [page.file],
    bundle: true,
    minify: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    logLevel: 'silent',
    ...(page.conditions ? { conditions: page.conditions } : {}),
  });
  const code = r.outputFiles[0]?.text ?? '';
  if (!code.includes(page.marker)) throw new Error(`${page.file}: the bundle lacks "${page.marker}"`);
  if (/\brequire\(|["']node:/.test(code)) throw new Error(`${page.file}: the bundle requires Node modules`);
  return gzipSync(code, { level: 9 }).length;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const consumer = makeConsumer({ registryPackages: Object.values(P2PML) });
try {
  const readme = readFileSync(path.join(consumer.dir, 'node_modules/swarmcast/README.md'), 'utf8');
  const version = (name: string): string =>
    (
      JSON.parse(readFileSync(path.join(consumer.dir, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  console.log(
    `What P2P adds to an app bundled by esbuild (ESM, minified, ES2020, gzip -9), from the packed tarball:\n` +
      `swarmcast ${version('swarmcast')}; P2P Media Loader: core ${version('p2p-media-loader-core')}, ` +
      `hlsjs ${version('p2p-media-loader-hlsjs')}, shaka ${version('p2p-media-loader-shaka')}; ` +
      `hls.js ${version('hls.js')}, video.js ${version('video.js')}, shaka-player ${version('shaka-player')}\n`,
  );
  const header = ['player', 'player alone', '+ swarmcast', '+ P2P Media Loader', 'swarmcast / P2PML'];
  const lines: string[][] = [header];
  for (const row of rows(readme)) {
    const alone = await gzipBytes(consumer.dir, row.alone);
    const ours = (await gzipBytes(consumer.dir, row.swarmcast)) - alone;
    const p2pml = row.p2pml;
    const theirs = typeof p2pml === 'string' ? undefined : (await gzipBytes(consumer.dir, p2pml)) - alone;
    lines.push([
      row.player,
      kb(alone),
      `+${kb(ours)}`,
      typeof p2pml === 'string' ? p2pml : `+${kb(theirs ?? 0)}`,
      theirs === undefined ? 'n/a' : (ours / theirs).toFixed(2),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  for (const l of lines)
    console.log(
      l
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
} finally {
  consumer.destroy();
}
