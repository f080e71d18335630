/**
 * Browser entry of the Shaka e2e viewer page (bundled by test/e2e/support/bundle.ts): plain Shaka, or Shaka
 * with `attach(player, …)`, on the page's `<video>`; optionally a second, unattached Shaka player on the same
 * page (it must never be served by swarmcast). Exposes `window.__viewer.report()`.
 */
import shakaModule from 'shaka-player';
import type { Engine } from '../../../core/index.js';
import { attach, type ShakaNamespace, type ShakaP2POptions } from '../../../integrations/shaka/index.js';
import { engineReport } from '../support/engine-report.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerApi, ViewerReport } from '../support/types.js';

export interface ShakaViewerParams {
  label: string;
  manifestUrl: string;
  /** Omitted: plain Shaka, no P2P. */
  p2p?: Partial<Omit<ShakaP2POptions, 'engine' | 'shaka'>>;
  shakaConfig?: Record<string, unknown>;
  /** Also play this manifest in a second Shaka player on the same page, without attach(). */
  secondManifestUrl?: string;
}

/** What the second player saw (window.__second). */
export interface SecondPlayerReport {
  segmentResponses: number;
  /** Responses to requests carrying swarmcast's route tag: must stay 0. */
  taggedResponses: number;
  currentTimeSec: number;
  errors: string[];
}

// shaka-player is CommonJS: bundlers hand out module.exports (the namespace), typings say `.default`.
const shaka = ((shakaModule as { default?: ShakaNamespace }).default ?? shakaModule) as ShakaNamespace;
const ROUTE = Symbol.for('swarmcast.shaka.route');
const params = (window as unknown as { __viewerParams: ShakaViewerParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
const monitor = monitorPlayback(video);
const errors: string[] = [];
const levels: number[] = [];
const sources: Record<string, number> = {};

shaka.polyfill.installAll();
const player = new shaka.Player();
player.configure({ ...params.shakaConfig });
const p2p = params.p2p ? attach(player, { ...params.p2p, shaka }) : undefined;
(p2p?.engine as Engine | undefined)?.on('segment-loaded', (e) => {
  sources[e.source] = (sources[e.source] ?? 0) + 1;
});
// Diagnostics: segment responses of the attached player that swarmcast did not serve (Shaka's HTTP plugin did).
const untagged: Record<string, number> = {};
player.getNetworkingEngine()?.registerResponseFilter((type, response, context) => {
  if (!p2p || type !== shaka.net.NetworkingEngine.RequestType.SEGMENT) return;
  if ((response.originalRequest as unknown as Record<symbol, unknown>)[ROUTE] !== undefined) return;
  const key = `${context?.stream?.type ?? 'nostream'}/${context?.type ?? '?'}/a${response.originalRequest.attempt}`;
  untagged[key] = (untagged[key] ?? 0) + 1;
  if (untagged[key] <= 2)
    console.warn(`untagged ${key} ${response.uri} ${JSON.stringify(response.originalRequest.headers)}`);
});
player.addEventListener('error', (e) => {
  const detail = (e as unknown as { detail?: { code?: number; severity?: number } }).detail;
  errors.push(`shaka error ${detail?.code} (severity ${detail?.severity})`);
});
// Rendition of each video segment Shaka appended (index in bandwidth order), for ABR diagnostics.
player.addEventListener('segmentappended', (e) => {
  if ((e as unknown as { contentType?: string }).contentType !== 'video') return;
  const tracks = player.getVariantTracks().sort((a, b) => a.bandwidth - b.bandwidth);
  const bandwidths = [...new Set(tracks.map((t) => t.bandwidth))];
  const active = tracks.find((t) => t.active);
  if (active) levels.push(bandwidths.indexOf(active.bandwidth));
});

// Diagnostics for stalls: per-type buffered ranges, Shaka's last segment requests (issued at playhead → answered
// after ms) and the last engine deliveries when playback waits.
const recent: string[] = [];
const requests: string[] = [];
const issued = new WeakMap<object, number>();
player.getNetworkingEngine()?.registerRequestFilter((type, request) => {
  if (type === shaka.net.NetworkingEngine.RequestType.SEGMENT) issued.set(request, performance.now());
});
player.getNetworkingEngine()?.registerResponseFilter((type, response, context) => {
  const at = issued.get(response.originalRequest);
  if (type !== shaka.net.NetworkingEngine.RequestType.SEGMENT || at === undefined) return;
  const name = response.uri.split('/').slice(-2).join('/');
  const tagged = (response.originalRequest as unknown as Record<symbol, unknown>)[ROUTE] !== undefined;
  requests.push(
    `${context?.stream?.type}:${name}${tagged ? '' : '(http)'}:${Math.round(performance.now() - at)}ms@${video.currentTime.toFixed(1)}`,
  );
  if (requests.length > 6) requests.shift();
});
(p2p?.engine as Engine | undefined)?.on('segment-loaded', (e) => {
  recent.push(`${e.streamId}/${e.segmentId}:${e.source}:${Math.round(e.durationMs)}ms@${video.currentTime.toFixed(1)}`);
  if (recent.length > 8) recent.shift();
});
video.addEventListener('waiting', () => {
  if (monitor.snapshot().startupMs === undefined) return;
  const info = player.getBufferedInfo();
  const fmt = (r: { start: number; end: number }[]): string =>
    r.map((x) => `${x.start.toFixed(2)}-${x.end.toFixed(2)}`).join(',');
  errors.push(
    `waiting@${video.currentTime.toFixed(2)} video[${fmt(info.video)}] audio[${fmt(info.audio)}] ` +
      `range ${player.seekRange().end.toFixed(1)} recent ${recent.join(' ')} requests ${requests.join(' ')}`,
  );
});

async function start(): Promise<void> {
  await player.attach(video);
  await player.load(params.manifestUrl);
  await video.play();
}
start().catch((e: unknown) => errors.push(`start: ${JSON.stringify(e)}`));

let second: SecondPlayerReport | undefined;
if (params.secondManifestUrl) {
  const other = document.createElement('video');
  other.muted = true;
  document.body.appendChild(other);
  const report: SecondPlayerReport = { segmentResponses: 0, taggedResponses: 0, currentTimeSec: 0, errors: [] };
  second = report;
  const player2 = new shaka.Player();
  player2.getNetworkingEngine()?.registerResponseFilter((type, response) => {
    if (type !== shaka.net.NetworkingEngine.RequestType.SEGMENT) return;
    report.segmentResponses++;
    if ((response.originalRequest as unknown as Record<symbol, unknown>)[ROUTE] !== undefined) report.taggedResponses++;
  });
  other.addEventListener('timeupdate', () => (report.currentTimeSec = other.currentTime));
  const url = params.secondManifestUrl;
  (async () => {
    await player2.attach(other);
    await player2.load(url);
    await other.play();
  })().catch((e: unknown) => report.errors.push(JSON.stringify(e)));
}
(window as unknown as { __second?: SecondPlayerReport }).__second = second;

const api: ViewerApi = {
  report(): ViewerReport {
    const s = p2p?.getStats();
    const range = player.seekRange();
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: engineReport(s),
      levels: [...levels],
      latencySec: player.isLive() ? range.end - video.currentTime : undefined,
      sources: { ...sources, ...Object.fromEntries(Object.entries(untagged).map(([k, v]) => [`untagged ${k}`, v])) },
      errors: [...errors],
    };
  },
};
(window as unknown as { __viewer: ViewerApi }).__viewer = api;
