/** Browser entry of the Flowplayer 7 e2e viewer: flowplayer 7.2 (hlsjs-lite engine) with the swarmcast plugin. */
import '../support/connections.js';
import { flowplayer7, registerFlowplayer7, type Flowplayer7Api } from '../../../plugins/flowplayer/index.js';
import { exposeViewer, playerContainer, readParams, waitForVideo } from '../support/player-viewer.js';

interface Fp7Player extends Flowplayer7Api {
  shutdown(): void;
  on(event: string, fn: (e: unknown, api: unknown, data: { source: string }) => void): void;
}
const params = readParams();
const errors: string[] = [];
const sources: Record<string, number> = {};
// flowplayer.js and hls.js are the page's scripts (vendorScripts): hlsjs-lite plays with window.Hls.
const fp = (window as unknown as { flowplayer: unknown }).flowplayer as Parameters<typeof registerFlowplayer7>[0] &
  ((el: HTMLElement, conf: Record<string, unknown>) => Fp7Player);
// The module registered the engine plugin from window.flowplayer (as the UMD does); registering again is a no-op.
if (!flowplayer7 || registerFlowplayer7(fp) !== flowplayer7) errors.push('flowplayer 7 registration not idempotent');

const root = playerContainer();
const player = fp(root, {
  autoplay: true,
  muted: true,
  hlsjs: { enableWorker: false },
  clip: { sources: [{ type: 'application/x-mpegurl', src: params.manifestUrl }] },
  p2p: { swarmId: params.swarmId, core: { trackerUrls: [params.trackerUrl], rtcConfig: { iceServers: [] } } },
});
player.on('swarmcast:segment-loaded', (_e, _api, data) => {
  sources[data.source] = (sources[data.source] ?? 0) + 1;
});
player.on('error', (_e, _api, data) => errors.push(`flowplayer error ${JSON.stringify(data)}`));

void waitForVideo(root).then((video) =>
  exposeViewer(
    params.label,
    video,
    { stats: () => player.p2pStats?.(), dispose: () => player.shutdown() },
    { sources, errors },
  ),
);
