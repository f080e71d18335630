/**
 * Test origin: serves a fixtures directory over HTTP for tests, benchmarks and the demo.
 *
 * - Static files with GET/HEAD, single byte ranges, CORS, `Cache-Control: no-store`.
 * - Client attribution (header `X-Swarmcast-Client`, query `client`, or path prefix `/c/<id>/…`) feeding the
 *   byte meter: `GET /_meter`, `POST /_meter/reset`.
 * - Throttle: `GET /_throttle`, `POST /_throttle?bandwidthBytesPerSec=N&latencyMs=M[&client=id][&reset=clients]`;
 *   per request `?throttleBytesPerSec=N&latencyMs=M`.
 * - Live simulator under `/live/<VOD manifest path>`: HLS media playlists become a looping sliding window
 *   (`seg.ts?live=<seq>` URIs; byte-range segments keep their URI), DASH SegmentTemplate MPDs become dynamic with
 *   looped segments whose tfdt is shifted by whole loops. SegmentBase/SegmentList MPDs are refused for live (404
 *   with a message): their single file per rendition cannot advance a `$Number$`. HLS and DASH share one timeline:
 *   segment index `i` (HLS media sequence, DASH number − startNumber) becomes available at
 *   `startEpochMs + (i − windowSegments + 1) · segDur`, so a full window exists at the start; DASH
 *   availabilityStartTime is therefore `startEpochMs − windowSegments · segDur`.
 * - Hash lists: `<folder>/segments-sha256.json` (PeerTube's format, computed by `swarmcast-hash`'s code) for every
 *   folder with a manifest, and under `/live/` with the looped DASH segments of the current window hashed as served.
 *   `hashLists: false`, or the path prefix `/nolist/` (after `/c/<id>/`), makes every list 404.
 */
export type { Origin, OriginOptions } from './server.js';
export { DEFAULT_ROOT, startOrigin } from './server.js';
export type { MeterEntry, MeterSnapshot } from './meter.js';
export { ANONYMOUS_CLIENT, ByteMeter } from './meter.js';
export type { LiveOptions } from './live-clock.js';
export type { ThrottleSettings, ThrottleUpdate } from './throttle.js';
