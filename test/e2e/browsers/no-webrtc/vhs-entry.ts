/** No-WebRTC page on Video.js (VHS): a plain player, or one with `player.p2p(...)` (page.ts). */
import '../../support/connections.js';
import videojs from 'video.js';
import { registerP2PPlugin, type P2PPluginInstance, type VideojsStatic } from '../../../../plugins/videojs/index.js';
import { runNoWebrtcPage } from './page.js';

interface Player {
  on(type: string, fn: () => void): void;
  error(): unknown;
  src(s: { src: string; type: string }): void;
  ready(fn: () => void): void;
  play(): Promise<void> | undefined;
  p2p(o: unknown): P2PPluginInstance;
}

registerP2PPlugin(videojs as unknown as VideojsStatic);
// Buffers all of the 60 s VOD fixture, so both pages end up fetching exactly the same segments.
const vhs = (videojs as unknown as { Vhs: { GOAL_BUFFER_LENGTH: number; MAX_GOAL_BUFFER_LENGTH: number } }).Vhs;
vhs.GOAL_BUFFER_LENGTH = 90;
vhs.MAX_GOAL_BUFFER_LENGTH = 90;
const create = videojs as unknown as (el: Element, options: Record<string, unknown>) => Player;

runNoWebrtcPage((video, manifestUrl, p2p, errors) => {
  const player = create(video, { muted: true, autoplay: false, preload: 'auto', width: 320, height: 180 });
  const plugin = p2p ? player.p2p({ core: { trackerUrls: [p2p.trackerUrl] } }) : undefined;
  player.on('error', () => errors.push(`player error: ${JSON.stringify(player.error())}`));
  player.src({ src: manifestUrl, type: 'application/x-mpegURL' });
  player.ready(() => {
    player.play()?.catch((e: unknown) => errors.push(`play(): ${String(e)}`));
  });
  return (
    plugin && {
      stats: () => plugin.stats(),
      onWarning: (fn) => plugin.p2p.engine.on('warning', (e) => fn(e.message)),
    }
  );
});
