/**
 * Bench page: one hls.js viewer with P2P Media Loader 2.3.1, set up as its docs show (`injectMixin(Hls)` and a
 * `p2p.core` config), with the same hls.js config as the swarmcast page (hlsjs.ts). Bundled with the
 * `p2pml:core-as-bundle` condition: the core is P2P Media Loader's own browser build (dist/*.es.js, what its CDN
 * links serve), bittorrent-tracker client and polyfills included.
 *
 * Core settings set, each because the bench needs it, everything else at P2P Media Loader's defaults:
 * - `announceTrackers`: the pass's own tracker (its defaults are public trackers on the internet);
 * - `rtcConfig.iceServers: []`: its defaults are public STUN servers; the swarmcast pass has none either, and on
 *   loopback host candidates are all there is;
 * - `swarmId`: its default swarm is the manifest URL, and each bench viewer's URL carries its own `/c/<id>/`
 *   metering prefix (the case `swarmId` exists for: per-viewer tokenised URLs);
 * - `httpRequestSetup` (and hls.js `xhrSetup` for fragments P2P Media Loader hands to hls.js's loader): the
 *   origin's metering header only, as the swarmcast engine gets through its own `httpRequestSetup`.
 */
import Hls from 'hls.js';
import { HlsJsP2PEngine } from 'p2p-media-loader-hlsjs';
import type { RealViewerParams } from '../protocol.js';
import { CLIENT_HEADER, readPageParams } from './common.js';
import { createP2pmlRecorder } from './p2pml-recorder.js';
import { exposeRealViewer } from './real-page.js';

const params = readPageParams() as RealViewerParams;
const { pass, viewer } = params;
const video = document.getElementById('video') as HTMLVideoElement;
const errors: string[] = [];
const isPlaylist = (url: string): boolean => new URL(url).pathname.endsWith('.m3u8');
const bench = createP2pmlRecorder(errors);
exposeRealViewer(params, video, bench, errors);

const HlsWithP2P = HlsJsP2PEngine.injectMixin(Hls);
const hls = new HlsWithP2P({
  ...(params.playerWorker !== undefined && {
    workerPath: URL.createObjectURL(new Blob([params.playerWorker], { type: 'text/javascript' })),
  }),
  ...(pass.capToPlayerSize !== undefined && { capLevelToPlayerSize: pass.capToPlayerSize }),
  // The swarmcast page passes the same delay through its plugin, which sets hls.js's liveSyncDuration.
  ...(pass.live && pass.liveDelaySec !== undefined ? { liveSyncDuration: pass.liveDelaySec } : {}),
  xhrSetup: (xhr: XMLHttpRequest, url: string) => {
    if (!isPlaylist(url)) xhr.setRequestHeader(CLIENT_HEADER, viewer.segmentClientId);
  },
  p2p: {
    core: {
      announceTrackers: [pass.trackerUrl],
      rtcConfig: { iceServers: [] },
      swarmId: pass.swarmId,
      httpRequestSetup: (url, _segmentRange, signal, range) => {
        const headers = new Headers({ [CLIENT_HEADER]: viewer.segmentClientId });
        if (range) headers.set('Range', `bytes=${range.start}-${range.end ?? ''}`);
        return Promise.resolve(new Request(url, { headers, signal }));
      },
    },
  },
});
bench.attach(hls, hls.p2pEngine);

hls.on(Hls.Events.ERROR, (_e, data) => {
  // internalException: a listener of hls.js's threw; which event and what it said tell whose listener it was.
  const where =
    data.details === Hls.ErrorDetails.INTERNAL_EXCEPTION ? ` in ${String(data.event)}: ${data.error.message}` : '';
  if (data.fatal || errors.length < 20) errors.push(`${data.fatal ? 'FATAL ' : ''}${data.details}${where}`);
});
hls.on(Hls.Events.MANIFEST_PARSED, () => {
  video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
});
hls.loadSource(viewer.manifestUrl);
hls.attachMedia(video);
