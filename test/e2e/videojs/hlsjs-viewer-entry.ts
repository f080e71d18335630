/**
 * Browser entry of the hls.js side of the interop e2e: hls.js with swarmcast (`withP2P(Hls)`), pinned to the
 * lowest rendition so it meets the Video.js viewer (VHS at 320×180 picks that one) in the same swarm.
 */
import Hls from 'hls.js';
import { withP2P, type HlsJsP2POptions } from '../../../integrations/hlsjs/index.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { ViewerApi, ViewerReport } from '../support/types.js';

interface Params {
  label: string;
  manifestUrl: string;
  p2p: Partial<Omit<HlsJsP2POptions, 'engine'>>;
}

const params = (window as unknown as { __viewerParams: Params }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
const monitor = monitorPlayback(video);
const errors: string[] = [];
const hls = new (withP2P(Hls))({ enableWorker: false, startLevel: 0, p2p: params.p2p });
hls.on(Hls.Events.ERROR, (_e, data) => {
  if (data.fatal) errors.push(`FATAL ${data.details}`);
});
hls.loadSource(params.manifestUrl);
hls.attachMedia(video);
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  // Manual level 0: hls.js's ABR would move up (it ignores player size), VHS stays at 240p in a 320 px player.
  hls.currentLevel = 0;
  video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});

const api: ViewerApi = {
  report(): ViewerReport {
    const s = hls.p2p.getStats();
    return {
      label: params.label,
      playback: monitor.snapshot(),
      engine: {
        httpBytes: s.httpBytes,
        p2pBytes: s.p2pBytes,
        cacheBytes: s.cacheBytes,
        uploadedBytes: s.uploadedBytes,
        peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
      },
      levels: [],
      sources: {},
      errors: [...errors],
    };
  },
};
(window as unknown as { __viewer: ViewerApi }).__viewer = api;
