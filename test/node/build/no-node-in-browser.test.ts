/** The build refuses browser bundles that pull in Node built-ins or their polyfills. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rollup } from 'rollup';
import { noNodeInBrowser } from '../../../rollup.config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmcast-build-'));

async function bundle(source: string): Promise<void> {
  const entry = path.join(dir, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, source);
  const build = await rollup({ input: entry, plugins: [noNodeInBrowser()], onwarn: () => undefined });
  await build.generate({ format: 'es' });
  await build.close();
}

describe('build guard: no Node in browser bundles', () => {
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  for (const id of ['buffer', 'node:buffer', 'events', 'stream', 'node:crypto']) {
    it(`fails when browser code imports "${id}"`, async () => {
      await assert.rejects(bundle(`import x from '${id}'; console.log(x);`), /not allowed in browser bundles/);
    });
  }

  it('fails when a Buffer call leaks into the output', async () => {
    await assert.rejects(bundle('console.log(Buffer.from("x"));'), /Node polyfill leaked/);
  });

  it('accepts plain browser code', async () => {
    await bundle('console.log(new TextEncoder().encode("x"));');
  });
});
