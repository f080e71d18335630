/**
 * Browser side of the no-WebRTC e2e: one page, two players of the same kind side by side on the same stream —
 * the player alone (`plain`) and the player with swarmcast (`p2p`) — each with its own origin client id, so the
 * test compares their origin bytes request by request. Exposes `window.__viewer` (report, pause).
 */
import { openConnections } from '../../support/connections.js';
import { monitorPlayback } from '../../support/playback-monitor.js';
import type { PlaybackSnapshot } from '../../support/types.js';
import type { EngineStats } from '../../../../core/index.js';

export interface NoWebrtcParams {
  label: string;
  plainUrl: string;
  p2pUrl: string;
  trackerUrl: string;
}

/** Engine side of a player with swarmcast. */
export interface P2PSide {
  stats(): EngineStats;
  onWarning(fn: (message: string) => void): void;
}

/** What an entry does to start one player; `p2p` undefined = the player alone. */
export type StartPlayer = (
  video: HTMLVideoElement,
  manifestUrl: string,
  p2p: { trackerUrl: string } | undefined,
  errors: string[],
) => P2PSide | undefined;

export interface SideReport {
  playback: PlaybackSnapshot;
  bufferedEndSec: number;
  durationSec: number;
  errors: string[];
}

export interface NoWebrtcReport {
  label: string;
  userAgent: string;
  hasRTCPeerConnection: boolean;
  /** WebSockets the page opened (a tracker socket would be one). */
  socketsCreated: number;
  plain: SideReport;
  p2p: SideReport & {
    /** `warning` events of the engine, all of them. */
    warnings: string[];
    p2pAvailable: boolean;
    httpBytes: number;
    p2pBytes: number;
  };
}

function bufferedEnd(video: HTMLVideoElement): number {
  return video.buffered.length > 0 ? video.buffered.end(video.buffered.length - 1) : 0;
}

export function runNoWebrtcPage(start: StartPlayer): void {
  const params = (window as unknown as { __viewerParams: NoWebrtcParams }).__viewerParams;
  const make = (): HTMLVideoElement => {
    const v = document.createElement('video');
    v.muted = true;
    v.playsInline = true;
    v.style.width = '320px';
    document.body.appendChild(v);
    return v;
  };
  document.getElementById('video')?.remove();
  const videos = { plain: make(), p2p: make() };
  const monitors = { plain: monitorPlayback(videos.plain), p2p: monitorPlayback(videos.p2p) };
  const errors = { plain: [] as string[], p2p: [] as string[] };
  const warnings: string[] = [];
  start(videos.plain, params.plainUrl, undefined, errors.plain);
  const p2p = start(videos.p2p, params.p2pUrl, { trackerUrl: params.trackerUrl }, errors.p2p);
  p2p?.onWarning((m) => warnings.push(m));
  if (!p2p) errors.p2p.push('the entry returned no engine for the swarmcast player');

  const side = (k: 'plain' | 'p2p'): SideReport => ({
    playback: monitors[k].snapshot(),
    bufferedEndSec: bufferedEnd(videos[k]),
    durationSec: videos[k].duration,
    errors: [...errors[k]],
  });
  const report = (): NoWebrtcReport => {
    const s = p2p?.stats();
    return {
      label: params.label,
      userAgent: navigator.userAgent,
      hasRTCPeerConnection: 'RTCPeerConnection' in window,
      socketsCreated: openConnections().socketsCreated,
      plain: side('plain'),
      p2p: {
        ...side('p2p'),
        warnings: [...warnings],
        // Undefined (no engine) must not pass for false.
        p2pAvailable: s?.p2pAvailable ?? true,
        httpBytes: s?.httpBytes ?? 0,
        p2pBytes: s?.p2pBytes ?? 0,
      },
    };
  };
  const pause = (): void => {
    videos.plain.pause();
    videos.p2p.pause();
  };
  (window as unknown as { __viewer: { report(): NoWebrtcReport; pause(): void } }).__viewer = { report, pause };
}
