/**
 * HLS live segment ids need the media sequence number, which Shaka's public SegmentReference does not carry.
 * A per-player response filter sees every media playlist Shaka loads; this reads the sequence number of each
 * segment URI (and byte range) from that text, so the ids agree with hls.js and VHS viewers.
 */
import { requestKey } from './identity.js';

/** Most recent segments remembered (a few playlists' worth for every rendition). */
const MAX_ENTRIES = 4000;

export class HlsSequenceMap {
  private readonly bySegment = new Map<string, number>();

  /** Reads one media playlist (`baseUrl` = its final URL, which segment URIs are relative to). */
  addPlaylist(text: string, baseUrl: string): void {
    if (!text.startsWith('#EXTM3U') || !text.includes('#EXTINF')) return;
    let sequence = 0;
    let pendingRange: { length: number; offset: number | undefined } | undefined;
    const lastEnd = new Map<string, number>();
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) {
        sequence = Number(line.slice('#EXT-X-MEDIA-SEQUENCE:'.length)) || 0;
      } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
        const [length, offset] = line.slice('#EXT-X-BYTERANGE:'.length).split('@');
        pendingRange = { length: Number(length), offset: offset === undefined ? undefined : Number(offset) };
      } else if (!line.startsWith('#')) {
        let url: string;
        try {
          url = new URL(line, baseUrl).href;
        } catch {
          sequence++;
          continue;
        }
        let range: { start: number; end: number } | undefined;
        if (pendingRange) {
          const start = pendingRange.offset ?? lastEnd.get(url) ?? 0;
          range = { start, end: start + pendingRange.length };
          lastEnd.set(url, range.end);
          pendingRange = undefined;
        }
        this.set(requestKey(url, range), sequence);
        sequence++;
      }
    }
  }

  get(key: string): number | undefined {
    return this.bySegment.get(key);
  }

  clear(): void {
    this.bySegment.clear();
  }

  private set(key: string, sequence: number): void {
    this.bySegment.delete(key); // re-insert: Map order = recency, oldest evicted first
    this.bySegment.set(key, sequence);
    if (this.bySegment.size > MAX_ENTRIES) {
      const oldest = this.bySegment.keys().next().value;
      if (oldest !== undefined) this.bySegment.delete(oldest);
    }
  }
}
