/**
 * Where the CDN bytes above "reachable" go: media segments that more than one viewer downloaded over HTTP in a pass
 * (for the player or ahead of it). A perfect swarm fetches each segment once; every further HTTP download is a repeat.
 */
import type { ViewerResult } from './protocol.js';

export interface HttpRepeats {
  /** Media segments some viewer downloaded over HTTP, and how many HTTP downloads they took. */
  segments: number;
  downloads: number;
  /** Downloads beyond the first of each segment, and their bytes. */
  repeats: number;
  repeatBytes: number;
  /**
   * Of the repeats: those begun before an earlier HTTP download of the segment had finished (viewers fetching the
   * same new segment at the same time), and those finished before the viewer's first frame (startup).
   */
  concurrent: number;
  beforeStartup: number;
  /**
   * Of the repeats: those begun before the viewer had a connected peer (a newcomer filling its first buffer before
   * its connections are up: nobody to ask yet, whoever holds the segment).
   */
  beforeFirstPeer: number;
}

interface HttpDownload {
  startMs: number;
  endMs: number;
  bytes: number;
  beforeStartup: boolean;
  beforeFirstPeer: boolean;
}

export function httpRepeats(viewers: readonly ViewerResult[]): HttpRepeats {
  const bySegment = new Map<string, HttpDownload[]>();
  for (const v of viewers) {
    // Loads are recorded as they are handed back, so the startup loads are the first media ones.
    const startupLoads = v.loads.filter((l) => !l.init).slice(0, v.mediaLoadsBeforeStartup ?? 0);
    const startupEndMs = startupLoads.at(-1)?.atMs ?? -Infinity;
    const firstPeerAtMs = v.firstPeerMs === undefined ? Infinity : v.startedAtMs + v.firstPeerMs;
    for (const d of v.downloads) {
      if (d.source !== 'http') continue;
      const download = {
        startMs: v.timeOriginMs + d.startMs,
        endMs: v.timeOriginMs + d.endMs,
        bytes: d.bytes,
        beforeStartup: d.endMs <= startupEndMs,
        beforeFirstPeer: d.startMs < firstPeerAtMs,
      };
      bySegment.set(d.key, [...(bySegment.get(d.key) ?? []), download]);
    }
  }
  const r: HttpRepeats = {
    segments: bySegment.size,
    downloads: 0,
    repeats: 0,
    repeatBytes: 0,
    concurrent: 0,
    beforeStartup: 0,
    beforeFirstPeer: 0,
  };
  for (const downloads of bySegment.values()) {
    r.downloads += downloads.length;
    const [first, ...rest] = [...downloads].sort((a, b) => a.startMs - b.startMs);
    // The earliest any download of it so far had finished: from then on a peer could have served it.
    let firstEndMs = first?.endMs ?? 0;
    for (const d of rest) {
      r.repeats++;
      r.repeatBytes += d.bytes;
      if (d.startMs < firstEndMs) r.concurrent++;
      if (d.beforeStartup) r.beforeStartup++;
      if (d.beforeFirstPeer) r.beforeFirstPeer++;
      firstEndMs = Math.min(firstEndMs, d.endMs);
    }
  }
  return r;
}
