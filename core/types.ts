import type { RenditionAttributes, StreamType } from './ids.js';

/** Byte range inside a resource; `end` is exclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** One segment as the integration describes it. */
export interface SegmentDescriptor {
  /** Engine-independent id from the ids.ts helpers (hlsLiveSegmentId, vodSegmentId, initSegmentId). */
  id: string;
  url: string;
  byteRange?: ByteRange;
  startSec: number;
  durationSec: number;
  isInit?: boolean;
}

export interface StreamDescriptor {
  type: StreamType;
  rendition: RenditionAttributes;
}

export interface SegmentListOptions {
  /** Live: segments missing from the new list are forgotten (and evicted from storage). */
  live: boolean;
}

/** What the player is doing; sent by the integration (e.g. on every timeupdate, seek and ratechange). */
export interface PlaybackState {
  positionSec: number;
  /** Playback rate; 0 when paused (the scheduler then treats deadlines as far away but keeps order). */
  rate: number;
  /** End of the contiguous buffered range containing the playhead. */
  bufferedEndSec: number;
}

export type SegmentSource = 'http' | 'p2p' | 'cache';

export interface LoadTiming {
  requestStartMs: number;
  firstByteMs: number;
  endMs: number;
}

export interface LoadResult {
  data: ArrayBuffer;
  source: SegmentSource;
  /** Set when the last bytes came from a peer. */
  peerId?: string;
  timing: LoadTiming;
  bytes: number;
}

export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (loadedBytes: number, totalBytes?: number) => void;
  /**
   * The player's own timeout for this request, ms from the call (0 or absent: none). The engine never holds the
   * request back for peers past what that timer allows: integrations pass it for players that punish a timeout.
   */
  playerTimeoutMs?: number;
}

/** Request as passed to the `httpRequestSetup` hook; return it modified (headers, credentials, URL rewrite). */
export interface HttpRequestInit {
  url: string;
  headers: Record<string, string>;
  credentials?: RequestCredentials;
}
export type HttpRequestSetup = (request: HttpRequestInit) => HttpRequestInit | Promise<HttpRequestInit>;

/** Return false (or throw) to reject the bytes. P2P failures ban the peer and refetch over HTTP. */
export type SegmentValidator = (
  segment: SegmentDescriptor,
  bytes: Uint8Array,
  source: 'http' | 'p2p',
  peerId: string | undefined,
) => boolean | Promise<boolean>;
