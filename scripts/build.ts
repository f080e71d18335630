/**
 * `npm run build`: ESM + minified UMD bundles for every browser entry of rollup.config.js's BUILD_TABLE,
 * `.d.ts` types, the compiled tracker (for the `swarmcast-tracker` bin), the compiled tools (`swarmcast-hash`), and a
 * size report (min and min+gzip per UMD bundle) printed and written to dist/sizes.json for the size benchmark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import type { BuildEntry } from '../rollup.config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const configModule = await import('../rollup.config.js');

function tsc(project: string): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/** package.json "exports" follow the build table, so adding an entry is one line there. */
function syncExports(entries: BuildEntry[]): void {
  const file = path.join(ROOT, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { exports: Record<string, unknown> };
  const exports: Record<string, unknown> = {};
  for (const entry of entries) {
    exports[entry.subpath] = {
      types: `./dist/types/${entry.input.replace(/\.ts$/, '.d.ts')}`,
      import: `./dist/esm/${entry.name}.js`,
    };
  }
  exports['./tracker'] = { types: './dist/tracker/index.d.ts', import: './dist/tracker/index.js' };
  exports['./package.json'] = './package.json';
  if (JSON.stringify(pkg.exports) !== JSON.stringify(exports)) {
    pkg.exports = exports;
    writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
    console.log('package.json "exports" updated from the build table');
  }
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
  if (existsSync(path.join(ROOT, 'tracker/index.ts'))) tsc('tsconfig.tracker.json');
  if (existsSync(path.join(ROOT, 'tools/hash/bin.ts'))) tsc('tsconfig.tools.json');
  syncExports(entries);

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
}

await main();
