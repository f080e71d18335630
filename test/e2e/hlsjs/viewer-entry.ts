/**
 * Browser entry of the hls.js e2e viewer page (bundled by test/e2e/support/bundle.ts): plain hls.js, or hls.js
 * with swarmcast through `withP2P(Hls)`, on the page's `<video>`; exposes `window.__viewer.report()`.
 */
import Hls from 'hls.js';
import type { Engine, SegmentDescriptor } from '../../../core/index.js';
import { withP2P, type HlsJsP2POptions } from '../../../integrations/hlsjs/index.js';
import { engineReport } from '../support/engine-report.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerApi, ViewerReport } from '../support/types.js';

export interface HlsViewerParams {
  label: string;
  manifestUrl: string;
  /** Omitted: plain hls.js, no P2P. */
  p2p?: Partial<Omit<HlsJsP2POptions, 'engine'>>;
  hlsConfig?: Record<string, unknown>;
  /** Diagnostics: re-fetch every P2P segment over HTTP (as client "verify", off the meter) and compare bytes. */
  verify?: boolean;
}

const params = (window as unknown as { __viewerParams: HlsViewerParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
const monitor = monitorPlayback(video);
const errors: string[] = [];
const levels: number[] = [];
const sources: Record<string, number> = {};

const config = { enableWorker: false, ...params.hlsConfig };

async function sameAsOrigin(segment: SegmentDescriptor, bytes: Uint8Array): Promise<boolean> {
  const url = segment.url.replace(/\/c\/[^/]+\//, '/c/verify/');
  const range = segment.byteRange;
  const headers: Record<string, string> = range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {};
  const expected = new Uint8Array(await (await fetch(url, { headers })).arrayBuffer());
  const same = expected.length === bytes.length && expected.every((b, i) => b === bytes[i]);
  if (!same) errors.push(`P2P MISMATCH ${segment.id} ${segment.url} got ${bytes.length} want ${expected.length}`);
  return same;
}
if (params.p2p && params.verify) {
  params.p2p.core = {
    ...params.p2p.core,
    // Compared in the background so verification does not change the timing being diagnosed.
    validateSegment: (segment, bytes, source) => {
      if (source === 'p2p') void sameAsOrigin(segment, bytes.slice());
      return true;
    },
  };
}
const withPeers = params.p2p ? new (withP2P(Hls))({ ...config, p2p: params.p2p }) : undefined;
const hls: Hls = withPeers ?? new Hls(config);
const p2p = withPeers?.p2p;
(p2p?.engine as Engine | undefined)?.on('segment-loaded', (e) => {
  sources[e.source] = (sources[e.source] ?? 0) + 1;
});
hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
  if ((data.frag.type as string) === 'main' && data.frag.sn !== 'initSegment') levels.push(data.frag.level);
});
// Fragments hls.js asked for more than once (diagnostics: re-requests after append problems or aborts).
const seen = new Set<string>();
hls.on(Hls.Events.FRAG_LOADING, (_e, data) => {
  const key = `${data.frag.type} ${data.frag.level}/${data.frag.sn}`;
  if (seen.has(key)) errors.push(`reloaded ${key}`);
  seen.add(key);
});
hls.on(Hls.Events.ERROR, (_e, data) => {
  const where = data.frag ? `(${data.frag.type} ${data.frag.level}/${data.frag.sn})` : '';
  if (data.fatal || errors.length < 20) errors.push(`${data.fatal ? 'FATAL ' : ''}${data.details}${where}`);
});
hls.loadSource(params.manifestUrl);
hls.attachMedia(video);
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});

const api: ViewerApi = {
  report(): ViewerReport {
    const s = p2p?.getStats();
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: engineReport(s),
      levels: [...levels],
      latencySec: Number.isFinite(hls.latency) ? hls.latency : undefined,
      sources: { ...sources },
      errors: [...errors],
    };
  },
};
(window as unknown as { __viewer: ViewerApi }).__viewer = api;
