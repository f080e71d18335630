/** No-WebRTC page on Shaka Player: a plain player, or one with `attach(player, ...)` (page.ts). */
import '../../support/connections.js';
import shakaModule from 'shaka-player';
import { attach, type ShakaNamespace } from '../../../../integrations/shaka/index.js';
import { runNoWebrtcPage } from './page.js';

// shaka-player is CommonJS: bundlers hand out module.exports (the namespace), typings say `.default`.
const shaka = ((shakaModule as { default?: ShakaNamespace }).default ?? shakaModule) as ShakaNamespace;
/**
 * The lowest rendition, no ABR (so both pages fetch the same one), and all of the 60 s VOD fixture buffered,
 * so both end up fetching exactly the same segments.
 */
const CONFIG = {
  abr: { enabled: false },
  restrictions: { maxHeight: 240 },
  streaming: { bufferingGoal: 90 },
};
shaka.polyfill.installAll();

runNoWebrtcPage((video, manifestUrl, p2p, errors) => {
  const player = new shaka.Player();
  player.configure(CONFIG);
  const withPeers = p2p ? attach(player, { core: { trackerUrls: [p2p.trackerUrl] }, shaka }) : undefined;
  player.addEventListener('error', (e) => {
    const detail = (e as unknown as { detail?: { code?: number; severity?: number } }).detail;
    errors.push(`shaka error ${detail?.code} (severity ${detail?.severity})`);
  });
  (async () => {
    await player.attach(video);
    await player.load(manifestUrl);
    await video.play();
  })().catch((e: unknown) => errors.push(`start: ${JSON.stringify(e)}`));
  return (
    withPeers && {
      stats: () => withPeers.getStats(),
      onWarning: (fn) => withPeers.engine.on('warning', (e) => fn(e.message)),
    }
  );
});
