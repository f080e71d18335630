/**
 * Init script of the WordPress viewer pages (bundled; runs before the page's own scripts). The page is the real
 * WordPress post, so this only watches: the playback monitor on the first <video> that starts playing (MediaElement
 * plays a clone of the shortcode's element), and `window.__wp.report()` with the players' P2P stats and which
 * swarmcast scripts the page loaded.
 */
import { openConnections, type OpenConnections } from '../support/connections.js';
import { monitorPlayback, type PlaybackMonitor } from '../support/playback-monitor.js';
import type { PlaybackSnapshot } from '../support/types.js';

interface Stats {
  httpBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
  peersBySwarm: Record<string, number>;
  integrity: { verified: number; failed: number; byMethod: { 'hash-list': number; 'spot-check': number } };
}
interface PageWindow {
  mejs?: { players?: Record<string, { p2pStats?: () => Stats | undefined; media?: { rendererName?: string } }> };
  videojs?: { getPlayers(): Record<string, { usingPlugin(n: string): boolean; p2p(): { stats(): Stats } } | null> };
  flowplayer?: (index: number) => { p2pStats?: () => Stats | undefined } | undefined;
  swarmcastWpStarted?: string[];
  __wp?: unknown;
}

export interface WpPageReport {
  playback: PlaybackSnapshot | undefined;
  /** The player library that plays: MediaElement renderer name, 'videojs' or 'flowplayer'. */
  player: string | undefined;
  engine:
    | {
        httpBytes: number;
        p2pBytes: number;
        uploadedBytes: number;
        peers: number;
        /** Segments from peers checked (see the engine's `integrity` setting), and by which method. */
        integrity: { verified: number; failed: number; byHashList: number; bySpotCheck: number };
      }
    | undefined;
  /** `window.swarmcastWpStarted`: players the plugin's page script started P2P on. */
  started: string[] | undefined;
  /** src of every <script> of the page. */
  scripts: string[];
  connections: OpenConnections;
}

const w = window as unknown as PageWindow;
let monitor: PlaybackMonitor | undefined;
document.addEventListener(
  'playing',
  (e) => {
    if (!monitor && e.target instanceof HTMLVideoElement) monitor = monitorPlayback(e.target);
  },
  true,
);

function stats(): { s: Stats | undefined; player: string | undefined } {
  const me = Object.values(w.mejs?.players ?? {})[0];
  if (me) return { s: me.p2pStats?.(), player: me.media?.rendererName };
  const vjs = Object.values(w.videojs?.getPlayers() ?? {}).find((p) => p);
  if (vjs) return { s: vjs.usingPlugin('p2p') ? vjs.p2p().stats() : undefined, player: 'videojs' };
  const fp = typeof w.flowplayer === 'function' ? w.flowplayer(0) : undefined;
  if (fp) return { s: fp.p2pStats?.(), player: 'flowplayer' };
  return { s: undefined, player: undefined };
}

w.__wp = {
  report(): WpPageReport {
    const { s, player } = stats();
    return {
      playback: monitor?.snapshot(),
      player,
      engine: s && {
        httpBytes: s.httpBytes,
        p2pBytes: s.p2pBytes,
        uploadedBytes: s.uploadedBytes,
        peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
        integrity: {
          verified: s.integrity.verified,
          failed: s.integrity.failed,
          byHashList: s.integrity.byMethod['hash-list'],
          bySpotCheck: s.integrity.byMethod['spot-check'],
        },
      },
      started: w.swarmcastWpStarted,
      scripts: [...document.querySelectorAll('script[src]')].map((el) => (el as HTMLScriptElement).src),
      connections: openConnections(),
    };
  },
};
