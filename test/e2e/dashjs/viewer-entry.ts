/**
 * Browser entry of the dash.js e2e viewer page (bundled by test/e2e/support/bundle.ts): plain dash.js, or dash.js
 * with `attach(player, …)`, on the page's `<video>`; exposes `window.__viewer.report()`. With `verify`, every
 * segment that came from a peer is fetched again from the origin (as client "verify", off the meter) and
 * compared byte for byte; a difference is reported as an error.
 */
import { MediaPlayer } from 'dashjs';
import type { Engine, SegmentDescriptor } from '../../../core/index.js';
import { attach, type DashjsP2POptions } from '../../../integrations/dashjs/index.js';
import { engineReport } from '../support/engine-report.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerApi, ViewerReport } from '../support/types.js';

export interface DashjsViewerParams {
  label: string;
  manifestUrl: string;
  /** Omitted: plain dash.js, no P2P. */
  p2p?: Partial<Omit<DashjsP2POptions, 'engine'>>;
  /** dash.js settings (player.updateSettings). */
  settings?: Record<string, unknown>;
  verify?: boolean;
}

/** Counts of peer-delivered segments checked against the origin (window.__verified). */
export interface VerifyReport {
  checked: number;
  mismatched: number;
}

const params = (window as unknown as { __viewerParams: DashjsViewerParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
const monitor = monitorPlayback(video);
const errors: string[] = [];
const levels: number[] = [];
const sources: Record<string, number> = {};
const verified: VerifyReport = { checked: 0, mismatched: 0 };
(window as unknown as { __verified: VerifyReport }).__verified = verified;

async function sameAsOrigin(segment: SegmentDescriptor, bytes: Uint8Array): Promise<void> {
  const url = segment.url.replace(/\/c\/[^/]+\//, '/c/verify/');
  const range = segment.byteRange;
  const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {};
  const expected = new Uint8Array(await (await fetch(url, { headers })).arrayBuffer());
  const same = expected.length === bytes.length && expected.every((b, i) => b === bytes[i]);
  verified.checked++;
  if (!same) {
    verified.mismatched++;
    errors.push(`P2P MISMATCH ${segment.id} ${segment.url} got ${bytes.length} want ${expected.length}`);
  }
}

const options = params.p2p && { ...params.p2p };
if (options && params.verify) {
  options.core = {
    ...options.core,
    // Compared in the background so verification does not change the timing it runs in.
    validateSegment: (segment, bytes, source) => {
      if (source === 'p2p') void sameAsOrigin(segment, bytes.slice());
      return true;
    },
  };
}

const player = MediaPlayer().create();
const settings: Record<string, unknown> = { debug: { logLevel: 1 }, ...params.settings };
player.updateSettings(settings);
const p2p = options ? attach(player, options) : undefined;
(p2p?.engine as Engine | undefined)?.on('segment-loaded', (e) => {
  sources[e.source] = (sources[e.source] ?? 0) + 1;
});
player.on('error', (e) => {
  const error = (e as unknown as { error?: { code?: number; message?: string } }).error;
  errors.push(`dash.js error ${error?.code}: ${error?.message}`);
});
// Rendition (index among the video Representations) of each video segment dash.js loaded, for ABR diagnostics.
player.on('fragmentLoadingCompleted', (e) => {
  const request = (
    e as unknown as { request?: { mediaType?: string; type?: string; representation?: { absoluteIndex?: number } } }
  ).request;
  if (request?.mediaType === 'video' && request.type === 'MediaSegment')
    levels.push(request.representation?.absoluteIndex ?? -1);
});
player.initialize(video, params.manifestUrl, true);

const api: ViewerApi = {
  report(): ViewerReport {
    const s = p2p?.getStats();
    let latencySec: number | undefined;
    try {
      latencySec = player.isDynamic() ? player.getCurrentLiveLatency() : undefined;
    } catch {
      latencySec = undefined;
    }
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: engineReport(s),
      levels: [...levels],
      latencySec,
      sources: { ...sources },
      errors: [...errors],
    };
  },
};
(window as unknown as { __viewer: ViewerApi }).__viewer = api;
