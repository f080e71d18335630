/**
 * Core bundle size as `npm run build` measures it (the UMD `swarmcast.min.js`, min and gzip level 9), built in
 * memory with the same rollup options so the bench never touches `dist/` while others use it.
 */
import { gzipSync } from 'node:zlib';
import { rollup, type OutputOptions, type RollupOptions } from 'rollup';

export interface CoreSize {
  minBytes: number;
  gzipBytes: number;
}

export async function coreBundleSize(): Promise<CoreSize> {
  const config = (await import('../../rollup.config.js')) as { default: RollupOptions[] };
  const isCore = (o: RollupOptions): boolean => {
    const out = o.output as OutputOptions | undefined;
    return typeof out?.file === 'string' && out.file.endsWith('/swarmcast.min.js');
  };
  const options = config.default.find(isCore);
  if (!options) throw new Error('rollup.config.js has no UMD build of core (swarmcast.min.js)');
  const bundle = await rollup({ ...options, onwarn: () => undefined });
  try {
    const { output } = await bundle.generate({ ...(options.output as OutputOptions), sourcemap: false });
    const code = Buffer.from(output[0].code);
    return { minBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
  } finally {
    await bundle.close();
  }
}
