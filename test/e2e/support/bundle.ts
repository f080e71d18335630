/** Bundles a viewer page entry (browser TypeScript) with esbuild, once per entry per process. */
import { build } from 'esbuild';

const cache = new Map<string, Promise<string>>();

/**
 * `conditions`: extra package.json export conditions (e.g. `p2pml:core-as-bundle`, which resolves P2P Media Loader's
 * core to its prebuilt browser bundle).
 */
export function bundlePageScript(entryPath: string, conditions: readonly string[] = []): Promise<string> {
  const cacheKey = [entryPath, ...conditions].join('\0');
  let pending = cache.get(cacheKey);
  if (!pending) {
    pending = build({
      entryPoints: [entryPath],
      conditions: [...conditions],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    }).then((r) => {
      const file = r.outputFiles[0];
      if (!file) throw new Error(`esbuild produced no output for ${entryPath}`);
      return file.text;
    });
    cache.set(cacheKey, pending);
  }
  return pending;
}
