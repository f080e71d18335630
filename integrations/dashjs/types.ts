/**
 * dash.js types. The player is typed from dash.js's own declarations (type-only: nothing here imports dashjs at
 * runtime, so the UMD bundle works with the page's `dashjs` global and ESM users bring their own copy). The value
 * objects dash.js hands its loaders (FragmentRequest, Representation, Segment, CommonMediaRequest/Response) are
 * typed as the narrow slices read here, all optional where dash.js may leave them unset: they are read
 * defensively, never written except for the response fields a loader must fill.
 */
// dash.js ships ESM only: without the attribute, these declarations break every CommonJS TypeScript consumer
// (node16/nodenext) of swarmcast/dashjs, TS1541, even one that loads dash.js with import().
import type { MediaPlayerClass } from 'dashjs' with { 'resolution-mode': 'import' };

export type { EngineLike } from '../common/playback.js';

/** A dash.js MediaPlayer (`dashjs.MediaPlayer().create()`). */
export type DashjsPlayer = MediaPlayerClass;

/** The MPD as dash.js parsed it (Period → AdaptationSet → Representation, templates already inherited). */
export interface ParsedTimelineEntry {
  t?: number;
  d: number;
  r?: number;
}
interface ParsedSegmentInfo {
  SegmentTimeline?: { S?: ParsedTimelineEntry[] };
}
interface ParsedRepresentation {
  SegmentTemplate?: ParsedSegmentInfo;
  SegmentList?: ParsedSegmentInfo;
}
interface ParsedManifest {
  Period?: { AdaptationSet?: { Representation?: ParsedRepresentation[] }[] }[];
}

export interface DashPeriod {
  index: number;
  /** Presentation time of the period start, seconds. */
  start: number;
  duration: number;
  mpd?: { manifest?: ParsedManifest };
}

/** dash.js's Segment value object (SegmentBase: built from the sidx, kept on `representation.segments`). */
export interface DashSegment {
  presentationStartTime: number;
  duration: number;
  /** `start-end`, end inclusive. */
  mediaRange?: string | null;
  index?: number | null;
}

/** dash.js's Representation value object. */
export interface DashRepresentation {
  id: string | null;
  index: number;
  bandwidth: number;
  width: number;
  height: number;
  codecs: string | null;
  /** SegmentTemplate, SegmentTimeline, SegmentList, SegmentBase or BaseURL. */
  segmentInfoType: string | null;
  /** Seconds (SegmentTemplate@duration / timescale). */
  segmentDuration: number;
  startNumber: number;
  endNumber?: number | null;
  timescale: number;
  /** Seconds. */
  presentationTimeOffset: number;
  /** SegmentTemplate@media (set by dash.js's manifest model, not declared in its typings). */
  media?: string;
  /** SegmentTemplate@initialization with $RepresentationID$ and $Bandwidth$ filled in. */
  initialization?: string | null;
  /** SegmentBase/Initialization@range. */
  range?: string | number | null;
  segments?: DashSegment[] | null;
  adaptation?: { index: number; period?: DashPeriod } | null;
  mediaInfo?: { lang?: string | null; type?: string | null } | null;
}

/** dash.js's FragmentRequest: what one request is for. */
export interface DashFragmentRequest {
  /** 'MediaSegment', 'InitializationSegment', 'IndexSegment', 'MPD', … */
  type?: string | null;
  /** 'video', 'audio', 'text', … */
  mediaType?: string | null;
  url?: string | null;
  /** `start-end`, end inclusive. */
  range?: string | number | null;
  /** Presentation time, seconds. */
  startTime?: number;
  duration?: number;
  index?: number;
  representation?: DashRepresentation | null;
  retryAttempts?: number;
  isPartialSegmentRequest?: boolean;
}

/** The progress event shape dash.js's HTTPLoader reads (`time` overrides the trace duration it records). */
export interface LoaderProgress {
  loaded: number;
  total: number;
  lengthComputable: boolean;
  time?: number;
}

/** The handlers HTTPLoader puts on a request before handing it to its XHRLoader, and the abort it expects back. */
export interface LoaderCustomData {
  request?: DashFragmentRequest;
  onloadend?: (() => void) | undefined;
  onprogress?: ((event: LoaderProgress) => void) | undefined;
  onabort?: (() => void) | undefined;
  ontimeout?: ((event: LoaderProgress) => void) | undefined;
  abort?: (() => void) | undefined;
}

/** CommonMediaRequest as HTTPLoader builds it (after its request interceptors ran). */
export interface LoaderRequest {
  url: string;
  method?: string;
  responseType?: string;
  headers?: Record<string, string>;
  /** ms, 0 = none (dash.js's fragmentRequestTimeout). */
  timeout?: number;
  customData?: LoaderCustomData;
}

/** CommonMediaResponse: the loader fills these, then calls `onloadend`. */
export interface LoaderResponse {
  url?: string;
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  data?: unknown;
}
