/**
 * Browser entry of the Video.js e2e viewer page (bundled by test/e2e/support/bundle.ts): Video.js 8 on VHS,
 * plain or with `player.p2p(...)`, on the page's `<video>`; exposes `window.__viewer.report()` (plus the
 * overlay's text read from the DOM).
 */
import videojs from 'video.js';
import type { Engine } from '../../../core/index.js';
import { registerP2PPlugin, type P2PPluginInstance, type VideojsStatic } from '../../../plugins/videojs/index.js';
import type { PlayerLike, VideojsLike } from '../../../integrations/vhs/index.js';
import { LiveDelay } from '../../../plugins/videojs/live-delay.js';
import { engineReport } from '../support/engine-report.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerApi } from '../support/types.js';
import type { VideojsViewerReport } from './report.js';

export interface VideojsViewerParams {
  label: string;
  manifestUrl: string;
  /** Omitted: plain Video.js, no P2P. */
  p2p?: Record<string, unknown>;
  /** Live baseline (no plugin): seconds behind VHS's live point to start at (P2P viewers: plugin `liveDelaySec`). */
  liveDelaySec?: number;
}

const params = (window as unknown as { __viewerParams: VideojsViewerParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
video.className = 'video-js';
const monitor = monitorPlayback(video);
const errors: string[] = [];
const sources: Record<string, number> = {};
const levels: number[] = [];

registerP2PPlugin(videojs as unknown as VideojsStatic);
const type = params.manifestUrl.endsWith('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL';
/** Minimal player typing: video.js's bundled .d.ts are loose (the default export is not typed as callable). */
interface Player {
  on(type: string, fn: (e: never) => void): void;
  tech(o: { IWillNotUseThisInPlugins: true }): unknown;
  error(): unknown;
  src(s: { src: string; type: string }): void;
  seekable(): TimeRanges;
  currentTime(t: number): void;
  duration(): number;
  ready(fn: () => void): void;
  play(): Promise<void> | undefined;
}
const create = videojs as unknown as (el: Element, options: Record<string, unknown>) => Player;
const player = create(video, { muted: true, autoplay: false, preload: 'auto', width: 320, height: 180 });
const plugin = params.p2p ? (player as unknown as { p2p(o: unknown): P2PPluginInstance }).p2p(params.p2p) : undefined;
(plugin?.p2p.engine as Engine | undefined)?.on('segment-loaded', (e) => {
  sources[e.source] = (sources[e.source] ?? 0) + 1;
});
player.on('error', () => errors.push(`player error: ${JSON.stringify(player.error())}`));
// Rendition (by declared bandwidth rank) of each main media segment VHS loaded.
player.on('segmentloaded', (e: { metadata?: { segmentInfo?: { type?: string } } }) => {
  if (e.metadata?.segmentInfo?.type !== 'main') return;
  const vhs = (player.tech({ IWillNotUseThisInPlugins: true }) as { vhs?: VhsLike } | undefined)?.vhs;
  const media = vhs?.playlists.media();
  const all = vhs?.playlists.main?.playlists ?? [];
  const bws = all.map((p) => p.attributes?.BANDWIDTH ?? 0).sort((a, b) => a - b);
  levels.push(bws.indexOf(media?.attributes?.BANDWIDTH ?? -1));
});
interface VhsLike {
  playlists: {
    media(): { attributes?: { BANDWIDTH?: number } } | undefined;
    main?: { playlists: { attributes?: { BANDWIDTH?: number } }[] };
  };
}
player.src({ src: params.manifestUrl, type });
// Live baseline: the same extra delay the P2P viewers get from the plugin's `liveDelaySec`, done the same way.
if (!plugin && params.liveDelaySec)
  new LiveDelay(player as unknown as PlayerLike, params.liveDelaySec, videojs as unknown as VideojsLike);
// VHS loads nothing of a live stream before the first play: start at once, not on loadedmetadata.
player.ready(() => {
  player.play()?.catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});

const api: ViewerApi & { report(): VideojsViewerReport } = {
  report(): VideojsViewerReport {
    const s = plugin?.stats();
    const overlay = document.querySelector<HTMLElement>('.vjs-p2p');
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: engineReport(s),
      levels: [...levels],
      sources: { ...sources },
      errors: [...errors],
      served: s ? { ...s.served } : {},
      overlayText: overlay?.textContent ?? undefined,
      overlayShare: overlay?.dataset.p2pShare !== undefined ? Number(overlay.dataset.p2pShare) : undefined,
    };
  },
};
(window as unknown as { __viewer: ViewerApi }).__viewer = api;
