/** Bench page: one hls.js viewer through `withP2P(Hls)` with the bench's engine (P2P on, or off for the baseline). */
import Hls from 'hls.js';
import { withP2P } from '../../../integrations/hlsjs/index.js';
import type { RealViewerParams } from '../protocol.js';
import { createBenchEngine, readPageParams } from './common.js';
import { exposeRealViewer } from './real-page.js';

const params = readPageParams() as RealViewerParams;
const { pass, viewer } = params;
const video = document.getElementById('video') as HTMLVideoElement;
const errors: string[] = [];
const bench = createBenchEngine(pass, viewer);
exposeRealViewer(params, video, bench, errors);

const hls = new (withP2P(Hls))({
  // Transmuxing in hls.js's worker, as by default on any site.
  ...(params.playerWorker !== undefined && {
    workerPath: URL.createObjectURL(new Blob([params.playerWorker], { type: 'text/javascript' })),
  }),
  ...(pass.capToPlayerSize !== undefined && { capLevelToPlayerSize: pass.capToPlayerSize }),
  p2p: {
    engine: bench.engine,
    swarmId: pass.swarmId,
    ...(pass.live && pass.liveDelaySec !== undefined ? { liveSyncDurationSec: pass.liveDelaySec } : {}),
  },
});
hls.on(Hls.Events.ERROR, (_e, data) => {
  if (data.fatal || errors.length < 20) errors.push(`${data.fatal ? 'FATAL ' : ''}${data.details}`);
});
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});
hls.loadSource(viewer.manifestUrl);
hls.attachMedia(video);
