/** Bench page: one Video.js (VHS) viewer through `player.p2p()` with the bench's engine (P2P on, or off). */
import videojs from 'video.js';
import { registerP2PPlugin, type VideojsStatic } from '../../../plugins/videojs/index.js';
import type { RealViewerParams } from '../protocol.js';
import { createBenchEngine, readPageParams } from './common.js';
import { exposeRealViewer } from './real-page.js';

/** The player slice used here (video.js's bundled typings do not type the default export as callable). */
interface Player {
  on(type: string, fn: () => void): void;
  error(): unknown;
  src(s: { src: string; type: string }): void;
  ready(fn: () => void): void;
  play(): Promise<void> | undefined;
  p2p(options: Record<string, unknown>): unknown;
}

const params = readPageParams() as RealViewerParams;
const { pass, viewer } = params;
const video = document.getElementById('video') as HTMLVideoElement;
video.className = 'video-js';
const errors: string[] = [];
const bench = createBenchEngine(pass, viewer);
exposeRealViewer(params, video, bench, errors);

registerP2PPlugin(videojs as unknown as VideojsStatic);
const create = videojs as unknown as (el: Element, options: Record<string, unknown>) => Player;
const player = create(video, {
  muted: true,
  autoplay: false,
  preload: 'auto',
  width: 320,
  height: 180,
  ...(pass.capToPlayerSize !== undefined && {
    html5: { vhs: { limitRenditionByPlayerDimensions: pass.capToPlayerSize } },
  }),
});
player.p2p({
  engine: bench.engine,
  swarmId: pass.swarmId,
  overlay: false,
  // VHS's own live point is already ~3 target durations (6 s) from the edge.
  ...(pass.live && pass.liveDelaySec !== undefined ? { liveDelaySec: Math.max(0, pass.liveDelaySec - 6) } : {}),
});
player.on('error', () => errors.push(`player error: ${JSON.stringify(player.error())}`));
const type = viewer.manifestUrl.endsWith('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL';
player.src({ src: viewer.manifestUrl, type });
// VHS loads nothing of a live stream before the first play: start at once, not on loadedmetadata.
player.ready(() => {
  player.play()?.catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});
