/**
 * Builds PeerTube's `segments-sha256.json` for a folder: `{ "<path>": "<sha256 hex>" }` for whole-file segments and
 * `{ "<path>": { "<first>-<last>": "<sha256 hex>" } }` for byte ranges (both ends inclusive), paths relative to the
 * list's directory with `/` separators, keys sorted.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { folderSegments, type SegmentRef } from './manifests.js';

export const HASH_LIST_FILENAME = 'segments-sha256.json';

export type HashListJson = Record<string, string | Record<string, string>>;

interface CachedHash {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** Remembers digests by file, range, size and mtime, so watch mode hashes only what changed. */
export class HashCache {
  private readonly entries = new Map<string, CachedHash>();
  /** Files seen on the previous pass, to hash a template segment only once it stopped changing. */
  private lastSeen = new Map<string, string>();
  private seen = new Map<string, string>();

  async digest(ref: SegmentRef, st: { size: number; mtimeMs: number }): Promise<string> {
    const key = `${ref.file}\0${ref.range ? `${ref.range.first}-${ref.range.last}` : ''}`;
    const hit = this.entries.get(key);
    if (hit?.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.sha256;
    const sha256 = await hashFile(ref);
    this.entries.set(key, { size: st.size, mtimeMs: st.mtimeMs, sha256 });
    return sha256;
  }

  /** True when `file` had this size and mtime on the previous pass too. */
  stable(file: string, st: { size: number; mtimeMs: number }): boolean {
    const sig = `${st.size}:${st.mtimeMs}`;
    this.seen.set(file, sig);
    return this.lastSeen.get(file) === sig;
  }

  endPass(): void {
    this.lastSeen = this.seen;
    this.seen = new Map();
    // Forget digests of files that are gone (a live window slides): memory stays bounded.
    for (const key of this.entries.keys()) if (!this.lastSeen.has(key.split('\0')[0] ?? '')) this.entries.delete(key);
  }
}

async function hashFile(ref: SegmentRef): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(ref.file, 'r');
  try {
    let at = ref.range?.first ?? 0;
    const end = ref.range ? ref.range.last + 1 : Infinity;
    const buf = Buffer.alloc(1 << 20);
    while (at < end) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - at), at);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      at += bytesRead;
    }
    if (ref.range && at !== end) throw new Error(`${ref.file} ends before byte ${end - 1}`);
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

export interface BuildOptions {
  /** Where the list is written; keys are relative to its directory. Default: `<folder>/segments-sha256.json`. */
  listFile?: string;
  /** Watch mode: hash a template-matched file only once unchanged since the previous pass (it may be in progress). */
  cache?: HashCache;
  /** Called for segments outside the list's directory or missing on disk. */
  warn?: (message: string) => void;
}

/** The hash list of every segment the folder's manifests reference. */
export async function buildHashList(folder: string, options: BuildOptions = {}): Promise<HashListJson> {
  const root = path.resolve(folder);
  const listDir = path.dirname(path.resolve(options.listFile ?? path.join(root, HASH_LIST_FILENAME)));
  const cache = options.cache ?? new HashCache();
  const watching = options.cache !== undefined;
  const out: HashListJson = {};
  const refs = await folderSegments(root);
  const done = new Set<string>();
  const warned = new Set<string>();
  const warn = (file: string, message: string): void => {
    if (!warned.has(file)) options.warn?.(message);
    warned.add(file);
  };
  for (const ref of refs) {
    const rel = path.relative(listDir, ref.file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      warn(ref.file, `${ref.file} is outside ${listDir}: not listed`);
      continue;
    }
    const key = rel.split(path.sep).join('/');
    const rangeKey = ref.range ? `${ref.range.first}-${ref.range.last}` : '';
    if (done.has(`${key}\0${rangeKey}`)) continue;
    done.add(`${key}\0${rangeKey}`);
    const st = await stat(ref.file).catch(() => undefined);
    if (!st?.isFile()) {
      if (!watching) warn(ref.file, `${ref.file} is referenced but missing: not listed`);
      continue;
    }
    if (watching && !cache.stable(ref.file, st) && !ref.listed) continue;
    const sha256 = await cache.digest(ref, st);
    const existing = out[key];
    if (ref.range) {
      const ranges = typeof existing === 'object' ? existing : (out[key] = {});
      ranges[rangeKey] = sha256;
    } else if (existing === undefined) {
      out[key] = sha256;
    }
  }
  if (watching) cache.endPass();
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => {
        const v = out[k] ?? '';
        return [k, typeof v === 'string' ? v : Object.fromEntries(Object.entries(v).sort(([a], [b]) => byStart(a, b)))];
      }),
  );
}

const byStart = (a: string, b: string): number => Number(a.split('-')[0]) - Number(b.split('-')[0]);
