/**
 * The browsers the README promises are the ones the bundles can run in: every file `npm run build` wrote for
 * browsers (dist/esm, dist/cjs, dist/umd) parses as the ECMAScript version rollup.config.js targets, so syntax
 * newer than that (a `??=`, a class static block) cannot slip in through a dependency, a plugin or a target bump.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse, type ecmaVersion } from 'acorn';
import { BROWSER_TARGET, ENTRIES } from '../../../rollup.config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TARGET_YEAR = Number(/^es(\d{4})$/i.exec(BROWSER_TARGET)?.[1]);

/** acorn's message (with line:column) when `code` is not valid at `year`, else undefined. */
function syntaxError(code: string, year: number, sourceType: 'module' | 'script'): string | undefined {
  try {
    parse(code, { ecmaVersion: year as ecmaVersion, sourceType });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function jsFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(dir, f));
}

/** One construct first allowed by each edition, for the check of the checker. */
const BY_YEAR: [number, string][] = [
  [2019, 'try { f(); } catch { g(); }'],
  [2020, 'const a = b?.c ?? 1n;'],
  [2021, 'let a; a ??= 1; const n = 1_000;'],
  [2022, 'class A { #x = 1; static { this.y = 2; } }'],
  [2024, 'const r = /[\\p{L}--\\p{N}]/v;'],
];

void describe(`bundles target ${BROWSER_TARGET}`, () => {
  void it(`the check refuses syntax newer than ${TARGET_YEAR} and accepts what it allows`, () => {
    assert.ok(TARGET_YEAR >= 2015 && TARGET_YEAR < 2024, `rollup.config.js target ${BROWSER_TARGET}`);
    for (const [year, code] of BY_YEAR) {
      const error = syntaxError(code, TARGET_YEAR, 'script');
      if (year <= TARGET_YEAR) assert.equal(error, undefined, `ES${year} \`${code}\` refused at ES${TARGET_YEAR}`);
      else assert.ok(error, `ES${year} \`${code}\` parsed at ES${TARGET_YEAR}: the check would miss it`);
      assert.equal(syntaxError(code, year, 'script'), undefined, `\`${code}\` is not ES${year}`);
    }
  });

  void it(`every ESM, CommonJS and UMD bundle in dist/ parses as ES${TARGET_YEAR}`, () => {
    const sets = [
      { dir: 'dist/esm', sourceType: 'module' as const },
      { dir: 'dist/cjs', sourceType: 'script' as const },
      { dir: 'dist/umd', sourceType: 'script' as const },
    ];
    const failures: string[] = [];
    for (const { dir, sourceType } of sets) {
      const files = jsFiles(dir);
      assert.ok(files.length >= ENTRIES.length, `${dir} has ${files.length} bundles: run \`npm run build\` first`);
      for (const file of files) {
        const error = syntaxError(readFileSync(path.join(ROOT, file), 'utf8'), TARGET_YEAR, sourceType);
        if (error) failures.push(`${file}: ${error}`);
      }
    }
    assert.deepEqual(failures, [], `syntax newer than ES${TARGET_YEAR} in the bundles`);
  });
});
