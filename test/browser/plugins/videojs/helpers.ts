/** Shared set-up for the Video.js plugin tests: a real player on VHS in the Karma page, and cleanup. */
import videojs from 'video.js';
import type { VideojsAutoStatic } from '../../../../plugins/videojs/index.js';
import { testEnv } from '../../env.js';

export const vjs = videojs as unknown as VideojsAutoStatic & {
  (el: Element, options?: Record<string, unknown>): TestPlayer;
  Vhs: { xhr: { onRequest(fn: unknown): void; offRequest(fn: unknown): void; _requestCallbackSet?: Set<unknown> } };
};

export interface TestPlayer {
  on(type: string, fn: (...a: never[]) => void): void;
  off(type: string, fn: (...a: never[]) => void): void;
  src(s: { src: string; type: string }): void;
  play(): Promise<void> | undefined;
  currentTime(): number;
  seekable(): TimeRanges;
  dispose(): void;
  isDisposed(): boolean;
  usingPlugin(name: string): boolean;
  el(): HTMLElement;
  tech(o: { IWillNotUseThisInPlugins: true }): { vhs?: { xhr: { _requestCallbackSet?: Set<unknown> } } } | undefined;
  p2p: (options?: unknown) => import('../../../../plugins/videojs/index.js').P2PPluginInstance;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function manifest(client: string, path = 'hls-ts/master.m3u8'): string {
  return `${testEnv.originUrl}/c/${client}-${Math.random().toString(36).slice(2, 8)}/${path}`;
}

export function typeOf(url: string): string {
  return url.endsWith('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL';
}

/** A new player on a fresh `<video>`; disposed by `disposeAll`. */
const created: TestPlayer[] = [];
export function newPlayer(options: Record<string, unknown> = {}): TestPlayer {
  const video = document.createElement('video');
  video.className = 'video-js';
  video.muted = true;
  document.body.appendChild(video);
  const player = vjs(video, { muted: true, width: 320, height: 180, ...options });
  created.push(player);
  return player;
}

export function disposeAll(): void {
  for (const p of created.splice(0)) if (!p.isDisposed()) p.dispose();
}

/** Engine settings for tests: the suite's tracker, no STUN. */
export function testCore(): Record<string, unknown> {
  return { trackerUrls: [testEnv.trackerUrl], rtcConfig: { iceServers: [] } };
}
