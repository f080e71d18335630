/** Browser entry of the Clappr e2e viewer: Clappr 0.11 with the swarmcast playback from `plugins/clappr`. */
import '../support/connections.js';
import { SwarmcastClappr, type SwarmcastPlaybackInstance } from '../../../plugins/clappr/index.js';
import { exposeViewer, playerContainer, readParams, waitForVideo } from '../support/player-viewer.js';

interface ClapprPlayer {
  core: { activePlayback: SwarmcastPlaybackInstance | undefined };
  destroy(): void;
}
// clappr.min.js is the page's script (vendorScripts): the plugin module built SwarmcastClappr from window.Clappr.
const Clappr = (window as unknown as { Clappr: { Player: new (o: Record<string, unknown>) => ClapprPlayer } }).Clappr;
const params = readParams();
const sources: Record<string, number> = {};
const errors: string[] = [];
const parent = playerContainer();
if (!SwarmcastClappr) throw new Error('SwarmcastClappr was not built from window.Clappr');
const player = new Clappr.Player({
  parent,
  source: params.manifestUrl,
  autoPlay: true,
  mute: true,
  plugins: [SwarmcastClappr],
  playback: { hlsjsConfig: { enableWorker: false } },
  p2p: {
    swarmId: params.swarmId,
    core: { trackerUrls: [params.trackerUrl], rtcConfig: { iceServers: [] } },
  },
});
const playback = (): SwarmcastPlaybackInstance | undefined => player.core.activePlayback;

void waitForVideo(parent).then((video) => {
  const active = playback();
  if (active?.name !== 'swarmcast_hls') errors.push(`active playback is ${active?.name}`);
  active?.on('swarmcast:segment-loaded', (e: { source: string }) => {
    sources[e.source] = (sources[e.source] ?? 0) + 1;
  });
  exposeViewer(
    params.label,
    video,
    { stats: () => playback()?.p2pStats(), dispose: () => player.destroy() },
    { sources, errors },
  );
});
