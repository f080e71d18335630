/**
 * The slices of Video.js, VHS and the engine this integration touches, typed structurally: Video.js is a peer
 * dependency taken from the player / page at runtime (so the UMD bundle works with the page's `videojs`), and
 * VHS's internals have no public types.
 */
export type { EngineLike } from '../common/playback.js';

/** Where a segment request goes in the engine. */
export interface SegmentTarget {
  streamId: string;
  segmentId: string;
}

/** VHS byte range: `length` bytes from `offset` (numbers; VHS may use bigint for huge files, we skip those). */
export interface VhsByteRange {
  offset: number | bigint;
  length: number | bigint;
}

export interface VhsSegment {
  uri?: string;
  resolvedUri?: string;
  duration: number;
  byterange?: VhsByteRange;
  /** Init segment (EXT-X-MAP / DASH initialization). */
  map?: { uri?: string; resolvedUri?: string; byterange?: VhsByteRange };
  /** DASH: presentation time of the segment (seconds). */
  presentationTime?: number;
  /** DASH: segment number. */
  number?: number;
}

export interface VhsPlaylist {
  id?: string;
  uri?: string;
  resolvedUri?: string;
  segments?: VhsSegment[];
  mediaSequence?: number;
  targetDuration?: number;
  /** HLS EXT-X-SERVER-CONTROL: HOLD-BACK is how far from the playlist's end VHS plays live. */
  serverControl?: { holdBack?: number } & Record<string, unknown>;
  endList?: boolean;
  /** DASH SegmentBase: where the segment index is (VHS fetches it before the playlist has segments). */
  sidx?: { resolvedUri?: string; byterange?: VhsByteRange };
  attributes?: {
    BANDWIDTH?: number;
    RESOLUTION?: { width?: number; height?: number };
    CODECS?: string;
    NAME?: string;
  };
}

export interface VhsMediaGroupEntry {
  language?: string;
  default?: boolean;
  uri?: string;
  resolvedUri?: string;
  playlists?: VhsPlaylist[];
}

export interface VhsMain {
  playlists: VhsPlaylist[];
  /** DASH's MPD attribute; VHS keeps this far from a live playlist's end when set (any stream type). */
  suggestedPresentationDelay?: number;
  mediaGroups?: { AUDIO?: Record<string, Record<string, VhsMediaGroupEntry | undefined> | undefined> };
}

/** VHS playlist loader (HLS PlaylistLoader or DashPlaylistLoader): an event target with the current media. */
export interface VhsPlaylistLoader {
  main?: VhsMain;
  media(): VhsPlaylist | undefined;
  on(type: string, fn: () => void): void;
  off(type: string, fn: () => void): void;
}

/** What `@videojs/xhr` hands our onRequest hook (and then reads back). */
export interface XhrOptions {
  uri: string;
  responseType?: string;
  requestType?: string;
  headers?: Record<string, string>;
  timeout?: number;
  /** A ready-made XMLHttpRequest-like object; @videojs/xhr uses it instead of creating one. */
  xhr?: unknown;
  [key: string]: unknown;
}

export type RequestHook = (options: XhrOptions) => XhrOptions | undefined;

/** VHS's xhr function: per player (`tech.vhs.xhr`) or global (`videojs.Vhs.xhr`). */
export interface VhsXhr {
  onRequest?(hook: RequestHook): void;
  offRequest?(hook: RequestHook): void;
  /** Private but stable since VHS 3.1: the hooks set the xhr function runs. */
  _requestCallbackSet?: Set<RequestHook>;
}

export interface VhsHandler {
  xhr: VhsXhr;
  playlists?: VhsPlaylistLoader;
  /** VHS's current bandwidth estimate, bits/s. */
  bandwidth?: number;
  /** Private: the playlist controller; only used to find alternate audio loaders. */
  playlistController_?: {
    mediaTypes_?: { AUDIO?: { activePlaylistLoader?: VhsPlaylistLoader | null } };
  };
}

export interface TimeRangesLike {
  length: number;
  start(i: number): number;
  end(i: number): number;
}

/** The slice of a Video.js player used here. */
export interface PlayerLike {
  on(type: string | string[], fn: (...args: never[]) => void): void;
  off(type: string | string[], fn: (...args: never[]) => void): void;
  tech(opts: { IWillNotUseThisInPlugins: true }): { vhs?: VhsHandler } | undefined;
  currentTime(): number;
  paused(): boolean;
  playbackRate(): number;
  buffered(): TimeRangesLike;
  currentSrc(): string;
}

/** The slice of the `videojs` function used here. */
export interface VideojsLike {
  Vhs?: {
    xhr?: VhsXhr;
    /** How far VHS keeps from a live playlist's end: main's suggestedPresentationDelay, HOLD-BACK, 3 targets. */
    Playlist?: { liveEdgeDelay?(main: VhsMain | null, media: VhsPlaylist): number };
  };
}
