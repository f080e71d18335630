/**
 * Which files and byte ranges of a folder are media segments, read from its HLS playlists and DASH MPDs: every
 * rendition's segments and init segments, byte ranges included (HLS EXT-X-BYTERANGE and EXT-X-MAP BYTERANGE; DASH
 * SegmentBase subsegments read from the file's `sidx`, SegmentList mediaRange). Template segments (DASH
 * `$Number$`/`$Time$`) are the files on disk that match the template.
 */
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { child, childrenNamed, parseXml, type XmlElement } from './xml.js';

export interface SegmentRef {
  /** Absolute path. */
  file: string;
  /** Byte range, both ends inclusive (as the list's keys); undefined = the whole file. */
  range?: { first: number; last: number };
  /**
   * Listed by a manifest, hence complete (packagers list a segment once it is written). False for files found by a
   * DASH template, which a live packager may still be writing: watch mode hashes those once they stop changing.
   */
  listed: boolean;
}

const isRemote = (uri: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/');
const stripQuery = (uri: string): string => uri.replace(/[?#].*$/, '');

function resolveUri(dir: string, uri: string): string | undefined {
  if (isRemote(uri)) return undefined;
  try {
    return path.resolve(dir, decodeURIComponent(stripQuery(uri)));
  } catch {
    return undefined;
  }
}

/** Segments of one HLS playlist (a master playlist has none). */
export function hlsSegments(playlistFile: string, text: string): SegmentRef[] {
  // A master playlist lists variant playlists, not segments.
  if (!/^#EXTINF:/m.test(text)) return [];
  const dir = path.dirname(playlistFile);
  const out: SegmentRef[] = [];
  const nextOffset = new Map<string, number>();
  let pending: { length: number; offset: number | undefined } | undefined;
  const range = (file: string, r: { length: number; offset: number | undefined }): SegmentRef['range'] => {
    const first = r.offset ?? nextOffset.get(file) ?? 0;
    nextOffset.set(file, first + r.length);
    return { first, last: first + r.length - 1 };
  };
  const byterange = (s: string): { length: number; offset: number | undefined } => {
    const [length = '0', offset] = s.split('@');
    return { length: Number(length), offset: offset === undefined ? undefined : Number(offset) };
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MAP:')) {
      const uri = /URI="([^"]*)"/.exec(line)?.[1];
      const file = uri === undefined ? undefined : resolveUri(dir, uri);
      if (!file) continue;
      const br = /BYTERANGE="([^"]*)"/.exec(line)?.[1];
      const r = br === undefined ? undefined : byterange(br);
      out.push({
        file,
        ...(r ? { range: { first: r.offset ?? 0, last: (r.offset ?? 0) + r.length - 1 } } : {}),
        listed: true,
      });
    } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
      pending = byterange(line.slice('#EXT-X-BYTERANGE:'.length));
    } else if (line !== '' && !line.startsWith('#')) {
      const file = resolveUri(dir, line);
      if (file) out.push({ file, ...(pending ? { range: range(file, pending) } : {}), listed: true });
      pending = undefined;
    }
  }
  return out;
}

/** Subsegment ranges of a `sidx` box read at `indexRange` (inclusive) of `file`. */
async function sidxRanges(file: string, indexFirst: number, indexLast: number): Promise<SegmentRef['range'][]> {
  const fh = await open(file, 'r');
  try {
    const box = Buffer.alloc(indexLast - indexFirst + 1);
    await fh.read(box, 0, box.length, indexFirst);
    if (box.toString('latin1', 4, 8) !== 'sidx') throw new Error(`no sidx at ${indexFirst} of ${file}`);
    const version = box.readUInt8(8);
    let at = 20; // size, type, version+flags, reference_ID, timescale
    const firstOffset = version === 0 ? box.readUInt32BE(at + 4) : Number(box.readBigUInt64BE(at + 8));
    at += version === 0 ? 8 : 16;
    const count = box.readUInt16BE(at + 2);
    at += 4;
    let start = indexLast + 1 + firstOffset;
    const out: SegmentRef['range'][] = [];
    for (let i = 0; i < count; i++, at += 12) {
      const size = box.readUInt32BE(at) & 0x7fffffff;
      out.push({ first: start, last: start + size - 1 });
      start += size;
    }
    return out;
  } finally {
    await fh.close();
  }
}

const parseRange = (s: string | undefined): { first: number; last: number } | undefined => {
  const m = s === undefined ? null : /^(\d+)-(\d+)$/.exec(s.trim());
  return m ? { first: Number(m[1]), last: Number(m[2]) } : undefined;
};

/** `$RepresentationID$`, `$Bandwidth$` filled; `$Number%05d$`/`$Time$` become a regex group. */
function templateRegex(template: string, rep: XmlElement): RegExp {
  const filled = template
    .replace(/\$RepresentationID\$/g, rep.attrs.id ?? '')
    .replace(/\$Bandwidth(%0\d+d)?\$/g, rep.attrs.bandwidth ?? '');
  const parts = filled.split(/\$(?:Number|Time)(?:%0\d+d)?\$/);
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\$\$/g, '\\$');
  return new RegExp(`^${parts.map(esc).join('\\d+')}$`);
}

/** Files on disk (relative to `dir`) whose path matches a template; the template may name a subfolder. */
async function matchTemplate(dir: string, template: string, rep: XmlElement): Promise<string[]> {
  const re = templateRegex(template, rep);
  const sub = path.posix.dirname(
    template
      .replace(/\$RepresentationID\$/g, rep.attrs.id ?? '')
      .replace(/\$Bandwidth(%0\d+d)?\$/g, rep.attrs.bandwidth ?? ''),
  );
  if (sub.includes('$')) return []; // numbers in folder names: not supported
  const names = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
  return names.map((n) => path.posix.join(sub, n)).filter((rel) => re.test(rel.replace(/^\.\//, '')));
}

/** Segments of one MPD: for each Representation its template, SegmentBase or SegmentList addressing. */
export async function dashSegments(mpdFile: string, text: string): Promise<SegmentRef[]> {
  const mpd = parseXml(text);
  const out: SegmentRef[] = [];
  const rootDir = path.dirname(mpdFile);
  for (const period of childrenNamed(mpd, 'Period')) {
    for (const set of childrenNamed(period, 'AdaptationSet')) {
      for (const rep of childrenNamed(set, 'Representation')) {
        const repBase = child(rep, 'BaseURL')?.text.trim();
        // Directory BaseURLs (ending in /) nest; a file BaseURL is the Representation's single file.
        let dir = rootDir;
        for (const el of [mpd, period, set]) {
          const b = child(el, 'BaseURL')?.text.trim();
          if (b?.endsWith('/') && !isRemote(b)) dir = path.resolve(dir, b);
        }
        if (repBase?.endsWith('/') && !isRemote(repBase)) dir = path.resolve(dir, repBase);
        const repFile = repBase && !repBase.endsWith('/') ? resolveUri(dir, repBase) : undefined;
        const template = { ...child(set, 'SegmentTemplate')?.attrs, ...child(rep, 'SegmentTemplate')?.attrs };
        if (template.media !== undefined) {
          for (const rel of await matchTemplate(dir, template.media, rep)) {
            out.push({ file: path.resolve(dir, rel), listed: false });
          }
          if (template.initialization !== undefined) {
            const init = template.initialization
              .replace(/\$RepresentationID\$/g, rep.attrs.id ?? '')
              .replace(/\$Bandwidth(%0\d+d)?\$/g, rep.attrs.bandwidth ?? '');
            const file = resolveUri(dir, init);
            if (file) out.push({ file, listed: true });
          }
          continue;
        }
        const segBase = child(rep, 'SegmentBase') ?? child(set, 'SegmentBase');
        if (segBase && repFile) {
          const init = parseRange(child(segBase, 'Initialization')?.attrs.range);
          if (init) out.push({ file: repFile, range: init, listed: true });
          const index = parseRange(segBase.attrs.indexRange);
          if (index) {
            for (const range of await sidxRanges(repFile, index.first, index.last))
              out.push({ file: repFile, range, listed: true });
          }
          continue;
        }
        const list = child(rep, 'SegmentList') ?? child(set, 'SegmentList');
        if (list) {
          const initEl = child(list, 'Initialization');
          const initFile = initEl?.attrs.sourceURL !== undefined ? resolveUri(dir, initEl.attrs.sourceURL) : repFile;
          const initRange = parseRange(initEl?.attrs.range);
          if (initEl && initFile)
            out.push({ file: initFile, ...(initRange ? { range: initRange } : {}), listed: true });
          for (const s of childrenNamed(list, 'SegmentURL')) {
            const file = s.attrs.media !== undefined ? resolveUri(dir, s.attrs.media) : repFile;
            const range = parseRange(s.attrs.mediaRange);
            if (file) out.push({ file, ...(range ? { range } : {}), listed: true });
          }
        }
      }
    }
  }
  return out;
}

/** Every .m3u8 and .mpd under `folder` (recursively), and the segments they reference. */
export async function folderSegments(folder: string): Promise<SegmentRef[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const out: SegmentRef[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    if (e.name.endsWith('.m3u8')) out.push(...hlsSegments(file, await readFile(file, 'utf8')));
    else if (e.name.endsWith('.mpd')) out.push(...(await dashSegments(file, await readFile(file, 'utf8'))));
  }
  return out;
}
