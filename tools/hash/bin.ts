#!/usr/bin/env node
/**
 * `swarmcast-hash <folder>`: writes `segments-sha256.json` (PeerTube's format) for the HLS playlists and DASH MPDs in
 * a folder, so players check every segment a peer delivers against it. `--watch` keeps it up to date while a live
 * packager writes segments. Node built-ins only.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildHashList, HASH_LIST_FILENAME, HashCache } from './hash-list.js';

const USAGE = `usage: swarmcast-hash <folder> [--out FILE] [--watch] [--interval-ms N] [--quiet]

Writes ${HASH_LIST_FILENAME} for every rendition of the HLS playlists (.m3u8) and DASH MPDs (.mpd) found under
<folder>: whole-file segments as "path": "sha256", byte ranges (EXT-X-BYTERANGE, EXT-X-MAP, DASH SegmentBase and
SegmentList) as "path": { "first-last": "sha256" }, paths relative to the list's directory.

  --out FILE        where to write the list (default: <folder>/${HASH_LIST_FILENAME}); serve it next to the manifest
  --watch           live: rescan every --interval-ms and rewrite the list (atomically) whenever it changes
  --interval-ms N   watch period (default 500)
  --quiet           no progress lines
`;

function fail(message: string): never {
  process.stderr.write(`swarmcast-hash: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function options(): { folder: string; out: string; watch: boolean; intervalMs: number; quiet: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        watch: { type: 'boolean', default: false },
        'interval-ms': { type: 'string', default: '500' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const [folder, ...extra] = parsed.positionals;
  if (folder === undefined) fail('missing <folder>');
  if (extra.length > 0) fail(`unexpected argument ${extra[0] ?? ''}`);
  const intervalMs = Number(parsed.values['interval-ms']);
  if (!Number.isInteger(intervalMs) || intervalMs < 50) fail('--interval-ms must be an integer ≥ 50');
  const out = path.resolve(parsed.values.out ?? path.join(folder, HASH_LIST_FILENAME));
  return { folder: path.resolve(folder), out, watch: parsed.values.watch, intervalMs, quiet: parsed.values.quiet };
}

/** Writes next to the target then renames: a player never reads a half-written list. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function main(): Promise<void> {
  const o = options();
  const warn = (m: string): void => {
    if (!o.quiet) process.stderr.write(`swarmcast-hash: ${m}\n`);
  };
  const count = (json: object): number =>
    Object.values(json).reduce<number>((n, v) => n + (typeof v === 'string' ? 1 : Object.keys(v as object).length), 0);
  if (!o.watch) {
    const json = await buildHashList(o.folder, { listFile: o.out, warn });
    await writeAtomically(o.out, JSON.stringify(json, null, 1) + '\n');
    if (!o.quiet) process.stdout.write(`${o.out}: ${count(json)} segments\n`);
    return;
  }
  const cache = new HashCache();
  let last = await readFile(o.out, 'utf8').catch(() => '');
  const run = { stop: false };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (run.stop = true));
  while (!run.stop) {
    try {
      const json = await buildHashList(o.folder, { listFile: o.out, cache, warn });
      const text = JSON.stringify(json, null, 1) + '\n';
      if (text !== last) {
        await writeAtomically(o.out, text);
        last = text;
        if (!o.quiet) process.stdout.write(`${new Date().toISOString()} ${o.out}: ${count(json)} segments\n`);
      }
    } catch (e) {
      // A packager renaming files under us is expected; the next pass sees a consistent folder.
      warn(`pass failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
