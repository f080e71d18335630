/**
 * The 400-line cap of eslint.config.js, counted as `wc -l` counts (every line: code, comments and blank lines), on
 * source, test and bench files alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from './lint.js';

/** `lines` lines ending in a newline, a third of them comments and a third blank. */
function fileOf(lines: number): string {
  const line = (i: number): string => (i % 3 === 0 ? `export const v${i} = ${i};` : i % 3 === 1 ? `// note ${i}` : '');
  return Array.from({ length: lines }, (_, i) => `${line(i)}\n`).join('');
}

const FILES = [
  'core/lint-probe.ts',
  'plugins/videojs/lint-probe.ts',
  'test/node/core/lint-probe.test.ts',
  'bench/core/lint-probe.ts',
  'samples/demo/lint-probe.js',
];

void describe('lint: 400-line cap', () => {
  void it('a 401-line file fails, wherever it is', async () => {
    for (const file of FILES) {
      const findings = await lint(file, fileOf(401));
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        ['max-lines'],
        `${file}: ${JSON.stringify(findings)}`,
      );
      assert.match(findings[0]?.message ?? '', /401.*400/);
    }
  });

  void it('a 400-line file passes', async () => {
    for (const file of FILES) assert.deepEqual(await lint(file, fileOf(400)), [], file);
  });
});
