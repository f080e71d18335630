import type { RollupOptions } from 'rollup';

export interface BuildEntry {
  /** Bundle file name, e.g. `swarmcast-hlsjs`. */
  name: string;
  /** package.json export subpath, e.g. `./hlsjs`. */
  subpath: string;
  input: string;
  /** UMD global, e.g. `swarmcast.hlsjs`. */
  global: string;
  /** Peer dependency → the global a UMD build reads it from. */
  players: Record<string, string>;
}
export const BUILD_TABLE: BuildEntry[];
/** esbuild target of every bundle, e.g. `es2020`. */
export const BROWSER_TARGET: string;
export const ENTRIES: BuildEntry[];
declare const configs: RollupOptions[];
export default configs;
/** Rollup plugin that fails the build when browser code imports a Node built-in or polyfill. */
export function noNodeInBrowser(): import('rollup').Plugin;
