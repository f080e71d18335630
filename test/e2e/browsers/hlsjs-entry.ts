/**
 * Mixed-swarm viewer on hls.js (`withP2P(Hls)`), pinned to the lowest rendition so it meets the Video.js viewers
 * (VHS at 320×180 picks that one) in the same swarm. Every fragment hls.js loads is hashed (received.ts).
 */
import '../support/connections.js';
import Hls from 'hls.js';
import { withP2P } from '../../../integrations/hlsjs/index.js';
import { exposeMixedViewer, readParams, video } from './received.js';

const params = readParams();
const hls = new (withP2P(Hls))({ enableWorker: false, startLevel: 0, p2p: params.p2p });
const viewer = exposeMixedViewer(params.label, video(), () => hls.p2p.getStats());
hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
  viewer.record(data.frag.url, data.payload);
});
hls.on(Hls.Events.ERROR, (_e, data) => {
  if (data.fatal) viewer.errors.push(`FATAL ${data.details}`);
});
hls.loadSource(params.manifestUrl);
hls.attachMedia(video());
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  hls.currentLevel = 0;
  video()
    .play()
    .catch((e: unknown) => viewer.errors.push(`play(): ${String(e)}`));
});
