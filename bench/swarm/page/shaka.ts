/** Bench page: one Shaka viewer through `attach(player)` with the bench's engine (P2P on, or off). */
import shakaModule from 'shaka-player';
import { attach, type ShakaNamespace } from '../../../integrations/shaka/index.js';
import type { RealViewerParams } from '../protocol.js';
import { createBenchEngine, readPageParams } from './common.js';
import { exposeRealViewer } from './real-page.js';

// shaka-player is CommonJS: bundlers hand out module.exports (the namespace), typings say `.default`.
const shaka = ((shakaModule as { default?: ShakaNamespace }).default ?? shakaModule) as ShakaNamespace;
const params = readPageParams() as RealViewerParams;
const { pass, viewer } = params;
const video = document.getElementById('video') as HTMLVideoElement;
const errors: string[] = [];
const bench = createBenchEngine(pass, viewer);
exposeRealViewer(params, video, bench, errors);

shaka.polyfill.installAll();
const player = new shaka.Player();
// 30 s look-ahead like hls.js (Shaka's default is 10 s) so the engine's and the player's horizons match; live:
// the simulator's segment times are exact, so no drift tolerance (see test/e2e/shaka for both).
player.configure({
  ...(pass.capToPlayerSize !== undefined && { abr: { restrictToElementSize: pass.capToPlayerSize } }),
  streaming: { bufferingGoal: 30, ...(pass.live ? { inaccurateManifestTolerance: 0 } : {}) },
  ...(pass.live && pass.liveDelaySec !== undefined
    ? { manifest: { defaultPresentationDelay: pass.liveDelaySec, dash: { ignoreSuggestedPresentationDelay: true } } }
    : {}),
});
attach(player, { engine: bench.engine, swarmId: pass.swarmId, shaka });
player.addEventListener('error', (e) => {
  const detail = (e as unknown as { detail?: { code?: number } }).detail;
  errors.push(`shaka error ${detail?.code}`);
});
(async () => {
  await player.attach(video);
  await player.load(viewer.manifestUrl);
  await video.play();
})().catch((e: unknown) => errors.push(`start: ${JSON.stringify(e)}`));
