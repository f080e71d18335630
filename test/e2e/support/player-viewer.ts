/**
 * Browser side of a player-plugin e2e viewer: wraps whatever `<video>` a player created with the playback
 * monitor and exposes `window.__viewer` (report, dispose, connections) from the engine stats the plugin gives.
 */
import type { EngineStats } from '../../../core/index.js';
import { openConnections, type OpenConnections } from './connections.js';
import { monitorPlayback, type PlaybackMonitor } from './playback-monitor.js';
import type { ViewerApi, ViewerReport } from './types.js';

export interface PlayerViewerParams {
  label: string;
  manifestUrl: string;
  trackerUrl: string;
  swarmId: string;
}

export interface PlayerViewerApi extends ViewerApi {
  /** Disposes the player (the plugin's own teardown); resolves when done. */
  dispose(): Promise<void>;
  connections(): OpenConnections;
}

export interface PlayerHooks {
  stats(): EngineStats | undefined;
  dispose(): void | Promise<void>;
}

export function readParams(): PlayerViewerParams {
  return (window as unknown as { __viewerParams: PlayerViewerParams }).__viewerParams;
}

/** A container for players that build their own `<video>`; the rig's page `<video>` is removed. */
export function playerContainer(): HTMLElement {
  document.getElementById('video')?.remove();
  const div = document.createElement('div');
  div.id = 'player';
  div.style.width = '320px';
  div.style.height = '180px';
  document.body.appendChild(div);
  return div;
}

/** Resolves with the first `<video>` under `root` (players create theirs asynchronously). */
export function waitForVideo(root: ParentNode, timeoutMs = 10000): Promise<HTMLVideoElement> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const video = root.querySelector('video');
      if (video) resolve(video);
      else if (performance.now() - started > timeoutMs) reject(new Error('the player created no <video>'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

/** Sources of the player's requests, from the engine's `segment-loaded` events. */
export function countSources(on: (fn: (e: { source: string }) => void) => void): Record<string, number> {
  const sources: Record<string, number> = {};
  on((e) => {
    sources[e.source] = (sources[e.source] ?? 0) + 1;
  });
  return sources;
}

export function exposeViewer(
  label: string,
  video: HTMLVideoElement,
  hooks: PlayerHooks,
  extra: { sources?: Record<string, number>; errors?: string[]; levels?: number[] } = {},
): void {
  const monitor: PlaybackMonitor = monitorPlayback(video);
  const errors = extra.errors ?? [];
  let last: EngineStats | undefined;
  const api: PlayerViewerApi = {
    report(): ViewerReport {
      const s = hooks.stats() ?? last;
      last = s;
      return {
        label,
        playback: monitor.snapshot(),
        engine: s && {
          httpBytes: s.httpBytes,
          p2pBytes: s.p2pBytes,
          cacheBytes: s.cacheBytes,
          uploadedBytes: s.uploadedBytes,
          peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
        },
        levels: [...(extra.levels ?? [])],
        sources: { ...extra.sources },
        errors: [...errors],
      };
    },
    async dispose() {
      api.report(); // keep the last stats for reports after dispose
      monitor.stop();
      await hooks.dispose();
    },
    connections: openConnections,
  };
  (window as unknown as { __viewer: PlayerViewerApi }).__viewer = api;
}
