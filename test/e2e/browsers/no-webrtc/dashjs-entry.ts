/** No-WebRTC page on dash.js: plain dash.js, or dash.js with `attach(player, ...)` (page.ts). */
import '../../support/connections.js';
import { MediaPlayer } from 'dashjs';
import { attach } from '../../../../integrations/dashjs/index.js';
import { runNoWebrtcPage } from './page.js';

/**
 * The lowest video Representation only (32.9 kbit/s; no ABR, so both pages fetch the same one) and all of the
 * 60 s VOD fixture buffered (dash.js's default goal is 12-30 s), so both end up fetching exactly the same segments.
 */
const BUFFER_SEC = 90;
const SETTINGS: Record<string, unknown> = {
  debug: { logLevel: 1 },
  streaming: {
    abr: { maxBitrate: { video: 40 } },
    buffer: {
      bufferTimeDefault: BUFFER_SEC,
      bufferTimeAtTopQuality: BUFFER_SEC,
      bufferTimeAtTopQualityLongForm: BUFFER_SEC,
    },
  },
};

runNoWebrtcPage((video, manifestUrl, p2p, errors) => {
  const player = MediaPlayer().create();
  player.updateSettings(SETTINGS);
  // attach() goes before initialize(): dash.js applies its extensions to the loaders it creates afterwards.
  const withPeers = p2p ? attach(player, { core: { trackerUrls: [p2p.trackerUrl] } }) : undefined;
  player.on('error', (e) => {
    const error = (e as unknown as { error?: { code?: number; message?: string } }).error;
    errors.push(`dash.js error ${error?.code}: ${error?.message}`);
  });
  player.initialize(video, manifestUrl, true);
  return (
    withPeers && {
      stats: () => withPeers.getStats(),
      onWarning: (fn) => withPeers.engine.on('warning', (e) => fn(e.message)),
    }
  );
});
