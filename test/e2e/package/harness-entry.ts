/**
 * Test hooks for the consumer's page (bundled by test/e2e/support/bundle.ts, run before the consumer's own bundle):
 * the stream and tracker the README's example is pointed at, a `validateSegment` that keeps a copy of what peers
 * sent (the engine runs it before the integrity check; the test compares the copies with the origin's bytes), the
 * playback monitor, and `window.__viewer.report()`.
 */
import type { Events } from 'hls.js';
import type { SegmentDescriptor } from '../../../core/index.js';
import type { HlsWithP2P } from '../../../integrations/hlsjs/index.js';
import { engineReport } from '../support/engine-report.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerReport } from '../support/types.js';

export interface ConsumerPageParams {
  label: string;
  manifestUrl: string;
  trackerUrl: string;
  /** Spread into the example's `p2p` options (live tuning). */
  p2p: Record<string, unknown>;
  /** Spread into the example's `p2p.core` options (STUN-less ICE, an integrity mode). */
  core: Record<string, unknown>;
}

/** A segment as a peer sent it: base64 for the trip to Node. */
export interface PeerCopy {
  url: string;
  byteRange: { start: number; end: number } | undefined;
  base64: string;
}

/** What the consumer's bundle reads from `window.__page` (see the app file the test writes). */
export interface PageHooks extends ConsumerPageParams {
  attach(hls: HlsWithP2P, video: HTMLVideoElement | null): void;
}

export interface ConsumerViewerApi {
  report(): ViewerReport;
  /** Segments peers sent, as received (each passed or failed the integrity check after this copy). */
  peerCopies(): PeerCopy[];
  /** `isSecureContext` and whether `crypto.subtle` exists on this page. */
  context(): { secure: boolean; subtle: boolean; href: string };
}

const params = (window as unknown as { __viewerParams: ConsumerPageParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
// The README's example loads and attaches; a page would autoplay (muted) or wait for a click.
video.autoplay = true;
const monitor = monitorPlayback(video);
const copies: PeerCopy[] = [];
const errors: string[] = [];
const sources: Record<string, number> = {};
let hls: HlsWithP2P | undefined;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function validateSegment(segment: SegmentDescriptor, bytes: Uint8Array, source: 'http' | 'p2p'): boolean {
  if (source === 'p2p') copies.push({ url: segment.url, byteRange: segment.byteRange, base64: base64(bytes) });
  return true;
}

const hooks: PageHooks = {
  ...params,
  core: { ...params.core, validateSegment },
  attach(h, v) {
    if (v !== video) errors.push('the example found another <video>');
    hls = h;
    h.p2p.engine.on('segment-loaded', (e) => {
      sources[e.source] = (sources[e.source] ?? 0) + 1;
    });
    for (const name of ['warning', 'tracker-error', 'peer-banned'] as const) {
      h.p2p.engine.on(name, (e: unknown) => errors.push(`${name}: ${JSON.stringify(e)}`));
    }
    // The enum's value, not the enum: importing hls.js here would bundle a second copy into the page.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    h.on('hlsError' as Events.ERROR, (_e, data) => {
      if (data.fatal || errors.length < 20) errors.push(`${data.fatal ? 'FATAL ' : ''}hls.js ${data.details}`);
    });
  },
};
(window as unknown as { __page: PageHooks }).__page = hooks;

const api: ConsumerViewerApi = {
  report(): ViewerReport {
    const s = hls?.p2p.getStats();
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: engineReport(s),
      levels: [],
      sources: { ...sources },
      errors: [...errors],
    };
  },
  peerCopies: () => [...copies],
  context: () => ({
    secure: window.isSecureContext,
    subtle: (globalThis.crypto as Crypto | undefined)?.subtle !== undefined,
    href: location.href,
  }),
};
(window as unknown as { __viewer: ConsumerViewerApi }).__viewer = api;
