/** Wires a real player's page: playback monitor on its `<video>`, `window.__bench` with stop() and results(). */
import { monitorPlayback } from '../../../test/e2e/support/playback-monitor.js';
import type { PlaybackSnapshot } from '../../../test/e2e/support/types.js';
import type { BenchPageApi, RealViewerParams } from '../protocol.js';
import { realResult, type ViewerRecorder } from './common.js';
import { watchMainThread } from './main-thread.js';

export function exposeRealViewer(
  params: RealViewerParams,
  video: HTMLVideoElement,
  bench: ViewerRecorder,
  errors: string[],
): void {
  const startedMs = performance.now();
  const monitor = monitorPlayback(video);
  const mainThread = watchMainThread();
  let final: PlaybackSnapshot | undefined;
  const api: BenchPageApi = {
    stop() {
      // Playback figures are frozen here; the engine keeps serving peers until the page closes.
      final ??= monitor.snapshot();
      monitor.stop();
      mainThread.stop();
      video.pause();
    },
    results: () => [realResult(params.viewer, final ?? monitor.snapshot(), bench, errors, startedMs, mainThread)],
  };
  (window as unknown as { __bench: BenchPageApi }).__bench = api;
}
