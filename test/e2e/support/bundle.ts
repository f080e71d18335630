/** Bundles a viewer page entry (browser TypeScript) with esbuild, once per entry per process. */
import { build } from 'esbuild';

const cache = new Map<string, Promise<string>>();

export function bundlePageScript(entryPath: string): Promise<string> {
  let pending = cache.get(entryPath);
  if (!pending) {
    pending = build({
      entryPoints: [entryPath],
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
    cache.set(entryPath, pending);
  }
  return pending;
}
