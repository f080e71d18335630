import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { buildHashList, HASH_LIST_FILENAME, type HashListJson } from '../../../tools/hash/hash-list.js';
import type { LiveTimeline } from './live-clock.js';
import { newestSegment } from './live-clock.js';
import { dashSegment } from './live-dash.js';
import { fillTemplate, readTemplates, templateRegex } from './mpd.js';

/**
 * `segments-sha256.json` for every fixture folder that holds a manifest, as `swarmcast-hash` writes it (computed
 * by the same code on first request, then cached), and for the live simulator: the VOD list plus, for DASH
 * SegmentTemplate streams, only the looped segments of the current window (what a live packager's folder holds),
 * whose bytes (shifted tfdt) differ from the VOD files, hashed as they are served.
 */

export const isHashListPath = (urlPath: string): boolean => path.posix.basename(urlPath) === HASH_LIST_FILENAME;

const vodLists = new Map<string, Promise<HashListJson>>();

/** The list of `dir` (absolute), or undefined when no manifest there references a segment. */
async function vodList(dir: string): Promise<HashListJson | undefined> {
  let list = vodLists.get(dir);
  if (!list) {
    list = buildHashList(dir);
    vodLists.set(dir, list);
    list.catch(() => vodLists.delete(dir));
  }
  const json = await list;
  return Object.keys(json).length > 0 ? json : undefined;
}

export type HashListResult = { kind: 'json'; text: string } | { kind: 'static'; file: string } | { kind: 'absent' };

/** Serves `<dir>/segments-sha256.json` for a VOD path: the file on disk if there is one, else the computed list. */
export async function vodHashList(dirPath: string): Promise<HashListResult> {
  const onDisk = path.join(dirPath, HASH_LIST_FILENAME);
  if (
    await stat(onDisk).then(
      (s) => s.isFile(),
      () => false,
    )
  )
    return { kind: 'static', file: onDisk };
  const json = await vodList(dirPath).catch(() => undefined);
  return json ? { kind: 'json', text: JSON.stringify(json) } : { kind: 'absent' };
}

const liveHashes = new Map<string, string>();

/** The live list of `dirPath` (absolute; `rel` is it relative to root) at the timeline's current instant. */
export async function liveHashList(root: string, rel: string, timeline: LiveTimeline): Promise<HashListResult> {
  const dirPath = path.join(root, rel);
  const json: HashListJson = { ...((await vodList(dirPath).catch(() => undefined)) ?? {}) };
  const mpds = (await readdir(dirPath).catch(() => [] as string[])).filter((n) => n.endsWith('.mpd'));
  for (const name of mpds) {
    const text = await readFile(path.join(dirPath, name), 'utf8');
    if (/<(SegmentBase|SegmentList)\b/.test(text)) continue;
    const templates = readTemplates(text);
    const first = templates[0];
    if (!first || !(first.durationTicks > 0)) continue;
    const segDur = timeline.segmentDurationSec ?? first.durationTicks / first.timescale;
    const newest = newestSegment(timeline, segDur);
    // A live packager's list holds what is on disk: the window (swarmcast-hash --watch forgets files that are gone,
    // as PeerTube's live does). The VOD entries of these media files describe other bytes (unshifted tfdt) and
    // would make every refetch the size of the whole VOD list.
    for (const t of templates) {
      const media = templateRegex(fillTemplate(t.media, t));
      for (const key of Object.keys(json)) if (media.test(key)) delete json[key];
    }
    // The window, a little more for a player that lags behind it.
    for (let index = Math.max(0, newest - timeline.windowSegments - 2); index <= newest; index++) {
      for (const t of templates) {
        const file = fillTemplate(t.media, t, index + t.startNumber);
        const relFile = path.posix.join(rel, file);
        const cacheKey = `${timeline.startEpochMs}\0${relFile}`;
        let digest = liveHashes.get(cacheKey);
        if (digest === undefined) {
          const seg = await dashSegment(root, relFile, timeline);
          if (seg?.kind !== 'segment') continue;
          digest = createHash('sha256').update(seg.data).digest('hex');
          if (liveHashes.size > 10_000) liveHashes.clear();
          liveHashes.set(cacheKey, digest);
        }
        json[file] = digest;
      }
    }
  }
  return Object.keys(json).length > 0 ? { kind: 'json', text: JSON.stringify(json) } : { kind: 'absent' };
}
