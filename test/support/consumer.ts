/**
 * A fresh consumer project made from the two packed tarballs, as an app developer gets them: `npm pack` of the
 * browser library and of the tracker (from what `npm run build` left in dist/ and tracker/dist/), then
 * `npm install` of each tarball into an empty project outside the checkout. The browser library installs OFFLINE
 * with an empty npm cache: it has no dependency to fetch. The tracker's dependencies come from the npm cache
 * (`--prefer-offline`; `npm ci` filled it). The players, TypeScript and esbuild the checks need are linked from the
 * checkout's node_modules, as an app would have installed its own; other packages a check compares against (P2P Media
 * Loader for the size benchmark) come from the registry into the same project.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What `npm pack --json` says of one tarball. */
export interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

export interface Consumer {
  dir: string;
  browser: PackResult;
  tracker: PackResult;
  /** node_modules entries right after the offline install of the browser library alone. */
  browserInstall: string[];
  destroy(): void;
}

/** Packages an app using the README's examples has installed itself (linked from the checkout). */
const APP_PACKAGES = ['hls.js', 'video.js', 'shaka-player', 'dashjs', 'typescript', 'esbuild', '@types/node'];

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pack(from: string, into: string): PackResult {
  // --ignore-scripts: prepack would rebuild; the suite tests what `npm run build` already made.
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', into], from);
  const [result] = JSON.parse(out) as PackResult[];
  if (!result) throw new Error(`npm pack in ${from} printed no result`);
  return result;
}

function link(app: string, name: string): void {
  const target = path.join(ROOT, 'node_modules', name);
  const at = path.join(app, 'node_modules', name);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

export interface ConsumerOptions {
  /**
   * Registry packages installed with the tarballs (`name@version`), their peer dependencies left out: the
   * players they would pull are the checkout's, linked afterwards (npm would prune links made before).
   */
  registryPackages?: string[];
}

export function makeConsumer(options: ConsumerOptions = {}): Consumer {
  for (const built of ['dist/esm/swarmcast.js', 'dist/cjs/swarmcast.js', 'tracker/dist/index.js']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmcast-consumer-'));
  const tarballs = path.join(dir, 'tarballs');
  const app = path.join(dir, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  const browser = pack(ROOT, tarballs);
  const tracker = pack(path.join(ROOT, 'tracker'), tarballs);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  const install = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  const emptyCache = path.join(dir, 'empty-npm-cache');
  npm([...install, '--offline', path.join(tarballs, browser.filename)], app, {
    ...process.env,
    npm_config_cache: emptyCache,
  });
  const browserInstall = readdirSync(path.join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
  const registry = options.registryPackages ?? [];
  npm(
    [
      ...install,
      '--prefer-offline',
      ...(registry.length > 0 ? ['--legacy-peer-deps'] : []),
      path.join(tarballs, browser.filename),
      path.join(tarballs, tracker.filename),
      ...registry,
    ],
    app,
  );
  for (const name of APP_PACKAGES) link(app, name);
  for (const name of readdirSync(path.join(ROOT, 'node_modules/@esbuild'))) link(app, `@esbuild/${name}`);
  return { dir: app, browser, tracker, browserInstall, destroy: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The ```ts blocks of a markdown file, in order. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}
