/**
 * Init script of the drop-in e2e pages (bundled; runs before the page's own scripts): the page is the plain
 * sample HTML, so this only watches. It attaches the playback monitor to the first `<video>` the page adds and
 * exposes `window.__viewer.report()` from `videojs.getPlayers()` and the `.vjs-p2p` overlay.
 */
import type { PlayerLike, VideojsLike } from '../../../integrations/vhs/index.js';
import type { P2PPluginInstance } from '../../../plugins/videojs/index.js';
import { LiveDelay } from '../../../plugins/videojs/live-delay.js';
import { monitorPlayback, type PlaybackMonitor } from '../support/playback-monitor.js';
import type { VideojsViewerReport } from './report.js';

interface PageWindow {
  videojs?: { getPlayers(): Record<string, DropinPlayer | null | undefined> };
  __viewer?: { report(): VideojsViewerReport };
}
interface DropinPlayer {
  usingPlugin(name: string): boolean;
  p2p(): P2PPluginInstance;
  error(): unknown;
}
interface TracedEngine {
  on(type: string, fn: (e: Record<string, unknown>) => void): void;
  loadSegment(streamId: string, segmentId: string, ...rest: unknown[]): Promise<unknown>;
}

const w = window as unknown as PageWindow;
const query = new URLSearchParams(location.search);
const label = query.get('label') ?? 'dropin';
/** Baseline page (drop-in off): apply the live delay the plugin's liveDelaySec gives P2P pages, the same way. */
const baselineDelaySec = query.get('p2p') === '0' ? Number(query.get('liveDelay') ?? 0) : 0;
let monitor: PlaybackMonitor | undefined;
const observer = new MutationObserver(() => {
  const video = document.querySelector('video');
  if (!video || monitor) return;
  monitor = monitorPlayback(video);
  observer.disconnect();
  if (baselineDelaySec > 0) {
    // loadstart: the player exists and VHS has its playlist loader; the media playlist is still to come.
    video.addEventListener(
      'loadstart',
      () => {
        const player = Object.values(w.videojs?.getPlayers() ?? {}).find((p) => p);
        if (player && w.videojs)
          new LiveDelay(player as unknown as PlayerLike, baselineDelaySec, w.videojs as unknown as VideojsLike);
      },
      { once: true },
    );
  }
});
observer.observe(document, { childList: true, subtree: true });

/**
 * The last engine events and player requests, with page-clock times: when playback hangs the test prints them,
 * so a request the engine never answered shows up as a `request` line with no `loaded`/`error` after it.
 */
const trail: string[] = [];
const note = (line: string): void => {
  trail.push(`${(performance.now() / 1000).toFixed(2)} ${line}`);
  if (trail.length > 60) trail.shift();
};
let traced = false;
const traceTimer = setInterval(() => {
  const player = Object.values(w.videojs?.getPlayers() ?? {}).find((p) => p);
  if (traced || !player?.usingPlugin('p2p')) return;
  traced = true;
  clearInterval(traceTimer);
  const engine = player.p2p().p2p.engine as unknown as TracedEngine;
  const load = engine.loadSegment.bind(engine);
  engine.loadSegment = (streamId, segmentId, ...rest) => {
    note(`request ${segmentId}`);
    return load(streamId, segmentId, ...rest);
  };
  for (const type of ['segment-loaded', 'segment-error', 'segment-abort', 'peer-connect', 'peer-close']) {
    engine.on(type, (e) => {
      const { segmentId, source, peerId, durationMs, error, reason } = e;
      const message = error instanceof Error ? error.message : undefined;
      note(`${type} ${JSON.stringify({ segmentId, source, peerId, durationMs, error: message, reason })}`);
    });
  }
}, 20);

function mediaState(): string {
  const video = document.querySelector('video');
  if (!video) return 'no video';
  const ranges: string[] = [];
  for (let i = 0; i < video.buffered.length; i++) {
    ranges.push(`${video.buffered.start(i).toFixed(2)}-${video.buffered.end(i).toFixed(2)}`);
  }
  return `t=${video.currentTime.toFixed(2)} ready=${video.readyState} net=${video.networkState} paused=${video.paused} buffered=[${ranges.join(' ')}]`;
}

w.__viewer = {
  report(): VideojsViewerReport {
    const player = Object.values(w.videojs?.getPlayers() ?? {}).find((p) => p);
    const s = player?.usingPlugin('p2p') ? player.p2p().stats() : undefined;
    const overlay = document.querySelector<HTMLElement>('.vjs-p2p');
    const error = player?.error();
    return {
      label,
      playback: monitor?.snapshot() ?? {
        startupMs: undefined,
        currentTimeSec: 0,
        playedSec: 0,
        stalls: [],
        startupWaiting: 0,
        ended: false,
        error: undefined,
      },
      engine: s && {
        httpBytes: s.httpBytes,
        p2pBytes: s.p2pBytes,
        cacheBytes: s.cacheBytes,
        uploadedBytes: s.uploadedBytes,
        peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
      },
      levels: [],
      sources: {},
      errors: error ? [JSON.stringify(error)] : [],
      served: s ? { ...s.served } : {},
      overlayText: overlay?.textContent ?? undefined,
      overlayShare: overlay?.dataset.p2pShare !== undefined ? Number(overlay.dataset.p2pShare) : undefined,
      debugTrail: [mediaState(), ...trail],
    };
  },
};
