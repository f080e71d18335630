/** Browser entry of the MediaElement e2e viewer: MediaElement.js 7 (native_hls renderer) with the `p2p` feature. */
import '../support/connections.js';
import { registration, type MediaElementPlayerLike } from '../../../plugins/mediaelement/index.js';
import { exposeViewer, readParams } from '../support/player-viewer.js';

interface MejsPlayer extends MediaElementPlayerLike {
  remove(): void;
}
// hls.min.js (the version we ship) and mediaelement-and-player.min.js are the page's scripts (vendorScripts):
// the plugin module registered the feature on window.MediaElementPlayer, as the UMD bundle does.
const g = window as unknown as { MediaElementPlayer: new (el: HTMLElement, o: unknown) => MejsPlayer };
const params = readParams();
const errors: string[] = [];
if (!registration) throw new Error('the p2p feature was not registered from the page globals');

const video = document.getElementById('video') as HTMLVideoElement;
// preload="none", played from `success`: with preload/autoplay, a browser that plays HLS natively (Chromium
// ≥ 14x, Safari) starts fetching the <source> itself before hls.js takes over (bytes outside the engine).
video.preload = 'none';
const source = document.createElement('source');
source.src = params.manifestUrl;
source.type = 'application/x-mpegURL';
video.appendChild(source);

const player = new g.MediaElementPlayer(video, {
  renderers: ['native_hls'],
  features: ['playpause', 'current', 'progress', 'p2p'],
  hls: { enableWorker: false },
  p2p: { swarmId: params.swarmId, core: { trackerUrls: [params.trackerUrl], rtcConfig: { iceServers: [] } } },
  success: (media: { play(): Promise<void> | void; rendererName: string }) => {
    if (media.rendererName !== 'native_hls') errors.push(`renderer ${media.rendererName}`);
    void Promise.resolve(media.play()).catch((e: unknown) => errors.push(`play(): ${String(e)}`));
  },
});
const sources: Record<string, number> = {};
const played = document.querySelector('video[id$="_native_hls"]') ?? video;
exposeViewer(
  params.label,
  played as HTMLVideoElement,
  { stats: () => player.p2pStats?.(), dispose: () => player.remove() },
  { sources, errors },
);
