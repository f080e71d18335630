/**
 * Browser side of the no-WebRTC e2e: one player per page — the player alone (`p2p: false`) or the player with
 * swarmcast — on its own origin client id, so the test compares the origin bytes of two such pages request by
 * request. WebKitGTK's GStreamer MSE does not play two players of one page reliably, and one player per page is
 * also how viewers watch. The player starts on `window.__viewer.start()`, not on load, so the test can start it
 * at an exact instant of the origin's live clock. Exposes `window.__viewer` (start, report).
 */
import { openConnections } from '../../support/connections.js';
import { monitorPlayback } from '../../support/playback-monitor.js';
import type { PlaybackSnapshot } from '../../support/types.js';
import type { EngineStats } from '../../../../core/index.js';

export interface NoWebrtcParams {
  label: string;
  manifestUrl: string;
  trackerUrl: string;
  /** false: the player alone. */
  p2p: boolean;
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

export interface NoWebrtcReport {
  label: string;
  userAgent: string;
  hasRTCPeerConnection: boolean;
  /** WebSockets the page opened (a tracker socket would be one). */
  socketsCreated: number;
  started: boolean;
  playback: PlaybackSnapshot;
  bufferedStartSec: number;
  bufferedEndSec: number;
  durationSec: number;
  /** The media element's own state, for a page that does not start. */
  readyState: number;
  paused: boolean;
  errors: string[];
  /** With swarmcast: every `warning` event of the engine. */
  warnings: string[];
  /** With swarmcast: the engine's stats flag (undefined for the player alone). */
  p2pAvailable: boolean | undefined;
  httpBytes: number;
  p2pBytes: number;
}

export interface NoWebrtcViewer {
  start(): void;
  report(): NoWebrtcReport;
}

export function runNoWebrtcPage(startPlayer: StartPlayer): void {
  const params = (window as unknown as { __viewerParams: NoWebrtcParams }).__viewerParams;
  const video = document.getElementById('video') as HTMLVideoElement;
  const monitor = monitorPlayback(video);
  const errors: string[] = [];
  const warnings: string[] = [];
  let engine: P2PSide | undefined;
  let started = false;

  const start = (): void => {
    if (started) return;
    started = true;
    engine = startPlayer(video, params.manifestUrl, params.p2p ? { trackerUrl: params.trackerUrl } : undefined, errors);
    engine?.onWarning((m) => warnings.push(m));
    if (params.p2p && !engine) errors.push('the entry returned no engine for the swarmcast player');
  };
  const report = (): NoWebrtcReport => {
    const s = engine?.stats();
    return {
      label: params.label,
      userAgent: navigator.userAgent,
      hasRTCPeerConnection: 'RTCPeerConnection' in window,
      socketsCreated: openConnections().socketsCreated,
      started,
      playback: monitor.snapshot(),
      bufferedStartSec: video.buffered.length > 0 ? video.buffered.start(0) : 0,
      bufferedEndSec: video.buffered.length > 0 ? video.buffered.end(video.buffered.length - 1) : 0,
      durationSec: video.duration,
      readyState: video.readyState,
      paused: video.paused,
      errors: [...errors],
      warnings: [...warnings],
      p2pAvailable: s?.p2pAvailable,
      httpBytes: s?.httpBytes ?? 0,
      p2pBytes: s?.p2pBytes ?? 0,
    };
  };
  (window as unknown as { __viewer: NoWebrtcViewer }).__viewer = { start, report };
}
