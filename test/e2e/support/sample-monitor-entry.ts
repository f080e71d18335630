/**
 * Injected into sample pages before their own scripts (e2e, sample-swarm.ts): watches the first `<video>` the
 * page or its player creates with the playback monitor, as `window.__monitor.snapshot()`.
 */
import { monitorPlayback, type PlaybackMonitor } from './playback-monitor.js';

let monitor: PlaybackMonitor | undefined;
const timer = setInterval(() => {
  const video = document.querySelector('video');
  if (!video) return;
  clearInterval(timer);
  monitor = monitorPlayback(video);
}, 20);
(window as unknown as { __monitor: { snapshot(): unknown } }).__monitor = {
  snapshot: () => monitor?.snapshot(),
};
