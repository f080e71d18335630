/** Browser entry of the @flowplayer/player 3.x e2e viewer: its HLS plugin plus `SwarmcastFlowplayer`. */
import '../support/connections.js';
import { SwarmcastFlowplayer, type Flowplayer3Player } from '../../../plugins/flowplayer/index.js';
import { exposeViewer, playerContainer, readParams, waitForVideo } from '../support/player-viewer.js';

interface Fp3Player extends Flowplayer3Player {
  destroy(): void;
}
type Fp3 = ((el: HTMLElement, conf: Record<string, unknown>) => Fp3Player) & {
  hls: unknown;
  (...plugins: unknown[]): Fp3;
};
const params = readParams();
const errors: string[] = [];
const sources: Record<string, number> = {};
// default.js and plugins/hls.js are the page's scripts (vendorScripts): globals flowplayer, flowplayer.hls.
const flowplayer = (window as unknown as { flowplayer: Fp3 }).flowplayer;
const fp = flowplayer(flowplayer.hls, SwarmcastFlowplayer);

const root = playerContainer();
const player = fp(root, {
  src: params.manifestUrl,
  autoplay: true,
  muted: true,
  hls: { enableWorker: false },
  p2p: { swarmId: params.swarmId, core: { trackerUrls: [params.trackerUrl], rtcConfig: { iceServers: [] } } },
});
player.on('swarmcast:segment-loaded', (e) => {
  const data = e.detail as { source: string };
  sources[data.source] = (sources[data.source] ?? 0) + 1;
});
player.on('error', (e) => errors.push(`flowplayer error ${String(e.detail)}`));

void waitForVideo(document).then((video) =>
  exposeViewer(
    params.label,
    video,
    { stats: () => player.p2pStats?.(), dispose: () => player.destroy() },
    { sources, errors },
  ),
);
