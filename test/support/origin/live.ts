import { readFile } from 'node:fs/promises';
import { dashNaming } from './live-cmaf.js';
import type { LiveTimeline } from './live-clock.js';
import { LiveRefused, dashSegment, liveMpd } from './live-dash.js';
import { isMasterPlaylist, livePlaylist } from './live-hls.js';
import { resolveUnder } from './request.js';

export type LiveResult =
  | { kind: 'text'; text: string; contentType: string }
  | { kind: 'buffer'; data: Buffer }
  | { kind: 'static'; path: string }
  | { kind: 'error'; status: number; message: string };

/**
 * Serves `/live/<vodPath>`: manifests are rewritten for the current instant, DASH media segments are looped with
 * patched timestamps (HLS fMP4 playlists over a DASH stream's files name those same segments, see live-cmaf.ts),
 * everything else (HLS segments carrying `?live=<s>`, init segments, byte-range files) is the VOD file at `<vodPath>`.
 */
export async function handleLive(
  root: string,
  vodPath: string,
  query: URLSearchParams,
  timeline: LiveTimeline,
): Promise<LiveResult> {
  const file = resolveUnder(root, vodPath);
  if (file === undefined) return { kind: 'error', status: 403, message: 'path traversal refused' };
  try {
    if (vodPath.endsWith('.m3u8')) {
      const text = await readFile(file, 'utf8');
      const body = isMasterPlaylist(text)
        ? text
        : livePlaylist(text, timeline, await dashNaming(root, vodPath, text, timeline));
      return { kind: 'text', text: body, contentType: 'application/vnd.apple.mpegurl' };
    }
    if (vodPath.endsWith('.mpd')) {
      const text = await readFile(file, 'utf8');
      return { kind: 'text', text: liveMpd(text, timeline), contentType: 'application/dash+xml' };
    }
  } catch (err) {
    if (err instanceof LiveRefused) return { kind: 'error', status: 404, message: err.message };
    if (isNotFound(err)) return { kind: 'error', status: 404, message: 'not found' };
    throw err;
  }
  if (!query.has('live')) {
    const seg = await dashSegment(root, vodPath.replace(/^\/+/, ''), timeline);
    if (seg?.kind === 'segment') return { kind: 'buffer', data: seg.data };
    if (seg) return seg;
  }
  return { kind: 'static', path: vodPath };
}

export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
