/**
 * `npm run build`: ESM, CommonJS and minified UMD bundles for every browser entry of rollup.config.js's BUILD_TABLE,
 * `.d.ts` types (an ESM copy and a CommonJS copy, so TypeScript reads each in the format Node loads), the compiled
 * tools (`swarmcast-hash`), the compiled tracker (tracker/dist, the `swarmcast-tracker` package), and a size
 * report (min and min+gzip per UMD bundle) printed and written to dist/sizes.json for the size benchmark,
 * and the WordPress plugin's installable zip (wordpress/build.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import type { BuildEntry } from '../rollup.config.js';
import { buildWordPressZip } from '../wordpress/build.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const configModule = await import('../rollup.config.js');

function tsc(project: string): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/**
 * package.json "exports" and "sideEffects" follow the build table, so adding an entry is one line there. Each entry
 * has an `import` and a `require` condition, each with its own types (TypeScript reads dist/cjs/types as CommonJS).
 * Plugins register themselves on the page's player global when loaded by a script tag: they have side effects.
 */
function syncPackageJson(entries: BuildEntry[]): void {
  const file = path.join(ROOT, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { exports: unknown; sideEffects: unknown };
  const exports: Record<string, unknown> = {};
  for (const entry of entries) {
    const types = entry.input.replace(/\.ts$/, '.d.ts');
    exports[entry.subpath] = {
      import: { types: `./dist/types/${types}`, default: `./dist/esm/${entry.name}.js` },
      require: { types: `./dist/cjs/types/${types}`, default: `./dist/cjs/${entry.name}.js` },
    };
  }
  exports['./package.json'] = './package.json';
  const plugins = entries.filter((entry) => entry.input.startsWith('plugins/'));
  const sideEffects = [
    ...plugins.map((entry) => `./dist/esm/${entry.name}.js`),
    ...plugins.map((entry) => `./dist/cjs/${entry.name}.js`),
    './dist/umd/*.js',
    // This package.json also governs the checkout's own bundles (esbuild reads it for every file under it): test
    // pages, samples, benchmarks and the WordPress glue import files for their effects (a player double, a
    // connection counter), and plugin sources register themselves from page globals.
    './plugins/**',
    './test/**',
    './samples/**',
    './bench/**',
    './wordpress/**',
  ];
  if (JSON.stringify([pkg.exports, pkg.sideEffects]) !== JSON.stringify([exports, sideEffects])) {
    pkg.exports = exports;
    pkg.sideEffects = sideEffects;
    writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
    console.log('package.json "exports" and "sideEffects" updated from the build table');
  }
}

/** The CommonJS half of dist: marked as such for Node and TypeScript, with its own copy of the declarations. */
function markCommonJs(): void {
  writeFileSync(path.join(ROOT, 'dist/cjs/package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
  cpSync(path.join(ROOT, 'dist/types'), path.join(ROOT, 'dist/cjs/types'), { recursive: true });
}

function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const entries = configModule.ENTRIES;
  if (entries.length === 0) throw new Error('no browser entry exists yet (core/index.ts missing)');

  for (const options of configModule.default) {
    const bundle = await rollup(options);
    const outputs = Array.isArray(options.output) ? options.output : options.output ? [options.output] : [];
    for (const output of outputs) await bundle.write(output);
    await bundle.close();
  }
  tsc('tsconfig.build.json');
  markCommonJs();
  if (existsSync(path.join(ROOT, 'tools/hash/bin.ts'))) tsc('tsconfig.tools.json');
  rmSync(path.join(ROOT, 'tracker/dist'), { recursive: true, force: true });
  if (existsSync(path.join(ROOT, 'tracker/index.ts'))) tsc('tsconfig.tracker.json');
  syncPackageJson(entries);

  const sizes = entries.map((entry) => {
    const code = readFileSync(path.join(ROOT, `dist/umd/${entry.name}.min.js`));
    return {
      bundle: `${entry.name}.min.js`,
      global: entry.global,
      minBytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
    };
  });
  writeFileSync(path.join(ROOT, 'dist/sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  console.log('\nbundle                              min        min+gzip');
  for (const size of sizes) {
    console.log(
      `${size.bundle.padEnd(34)} ${formatKb(size.minBytes).padStart(9)} ${formatKb(size.gzipBytes).padStart(12)}`,
    );
  }
  console.log('(UMD bundles are self-contained: each includes the core)');

  // The WordPress plugin ships three of the UMD bundles above.
  const zip = await buildWordPressZip();
  console.log(`\nWordPress plugin: ${zip.file} (${formatKb(zip.bytes)})`);
}

await main();
