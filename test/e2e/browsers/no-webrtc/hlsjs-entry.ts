/** No-WebRTC page on hls.js: plain hls.js, or `withP2P(Hls)` with the same config (page.ts). */
import '../../support/connections.js';
import Hls from 'hls.js';
import { withP2P } from '../../../../integrations/hlsjs/index.js';
import { runNoWebrtcPage } from './page.js';

/** Buffers all of the 60 s VOD fixture, so both pages end up fetching exactly the same segments. */
const CONFIG = { enableWorker: false, maxBufferLength: 90, maxMaxBufferLength: 90 };

runNoWebrtcPage((video, manifestUrl, p2p, errors) => {
  const withPeers = p2p
    ? new (withP2P(Hls))({ ...CONFIG, p2p: { core: { trackerUrls: [p2p.trackerUrl] } } })
    : undefined;
  const hls: Hls = withPeers ?? new Hls(CONFIG);
  // Fatal errors only: hls.js also reports what it recovers from by itself as non-fatal "errors" (a nudge over
  // a small gap at the start of this fixture, in both players alike).
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal) errors.push(`FATAL ${data.details}`);
  });
  hls.loadSource(manifestUrl);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
  });
  return (
    withPeers && {
      stats: () => withPeers.p2p.getStats(),
      onWarning: (fn) => withPeers.p2p.engine.on('warning', (e) => fn(e.message)),
    }
  );
});
