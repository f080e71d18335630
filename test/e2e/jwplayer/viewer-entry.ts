/**
 * Browser entry of the JW Player e2e viewer: the swarmcast provider, registered from the page globals
 * (`window.Hls` from hls.min.js, `window.jwplayer` = the contract double), driven by the double's setup().
 */
import '../support/connections.js';
import './install-double.js';
import { SwarmcastProvider, type SwarmcastProviderInstance } from '../../../plugins/jwplayer/index.js';
import { choose, filledFromDefaults, setup } from './jw-double.js';
import { exposeViewer, playerContainer, readParams } from '../support/player-viewer.js';

const params = readParams();
const errors: string[] = [];
const sources: Record<string, number> = {};
if (!SwarmcastProvider) throw new Error('the provider was not registered from the page globals');

const jw = setup(playerContainer(), {
  file: params.manifestUrl,
  autostart: true,
  mute: true,
  hlsjsConfig: { enableWorker: false },
  p2p: { swarmId: params.swarmId, core: { trackerUrls: [params.trackerUrl], rtcConfig: { iceServers: [] } } },
});
const provider = jw.provider as unknown as SwarmcastProviderInstance;
provider.p2p.engine.on('segment-loaded', (e) => {
  sources[e.source] = (sources[e.source] ?? 0) + 1;
});
provider.on('mediaError', (e) => errors.push(`mediaError ${JSON.stringify(e)}`));

/** Contract facts for the Node side, read after playback. */
async function contract(): Promise<Record<string, unknown>> {
  const counts: Record<string, number> = {};
  for (const e of jw.events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  const states = jw.events.filter((e) => e.type === 'state').map((e) => (e.data as { newstate: string }).newstate);
  const levelsEvent = jw.events.find((e) => e.type === 'levels')?.data as { levels: unknown[] } | undefined;
  const before = jw.events.length;
  provider.setCurrentQuality(1);
  const manual = provider.getCurrentQuality();
  provider.setCurrentQuality(0);
  provider.volume(50);
  provider.mute(false);
  provider.mute(true);
  await new Promise((resolve) => setTimeout(resolve, 300)); // volumechange is dispatched asynchronously
  const later = jw.events.slice(before).map((e) => e.type);
  return {
    chosen: jw.name,
    chosenForMp4: choose({ file: 'https://cdn.example/video.mp4', type: 'mp4' }),
    filledFromDefaults: filledFromDefaults[jw.name],
    counts,
    states: [...new Set(states)],
    levelsEventCount: levelsEvent?.levels.length ?? 0,
    qualityLevels: provider.getQualityLevels().map((l) => l.label),
    manualQuality: manual,
    autoQuality: provider.getCurrentQuality(),
    laterEvents: later,
    volume: provider.video.volume,
    seekRange: provider.getSeekRange(),
    duration: provider.getDuration(),
    isLive: provider.isLive(),
    position: provider.getCurrentTime(),
    audioTracks: provider.getAudioTracks().length,
    bandwidth: provider.getBandwidthEstimate(),
    videoInContainer: provider.video.parentElement?.id,
  };
}
(window as unknown as { __jwContract: typeof contract }).__jwContract = contract;

exposeViewer(
  params.label,
  provider.video,
  { stats: () => provider.getP2PStats(), dispose: () => jw.remove() },
  { sources, errors },
);
