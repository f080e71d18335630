/**
 * Mixed-swarm viewer on Video.js 8 (VHS) with the `p2p` plugin, in a 320×180 player (VHS then plays the lowest
 * rendition, as the hls.js viewers do). Every media segment VHS receives is hashed (received.ts), read through
 * VHS's own per-player `onResponse` hook.
 */
import '../support/connections.js';
import videojs from 'video.js';
import { registerP2PPlugin, type P2PPluginInstance, type VideojsStatic } from '../../../plugins/videojs/index.js';
import { exposeMixedViewer, readParams, video } from './received.js';

interface VhsRequest {
  uri?: string;
  requestType?: string;
  response?: unknown;
}
interface Vhs {
  xhr: { onResponse?(hook: (request: VhsRequest, error: unknown) => void): void };
}
/** Minimal player typing: video.js's bundled .d.ts are loose (the default export is not typed as callable). */
interface Player {
  on(type: string, fn: () => void): void;
  tech(o: { IWillNotUseThisInPlugins: true }): { vhs?: Vhs } | undefined;
  error(): unknown;
  src(s: { src: string; type: string }): void;
  ready(fn: () => void): void;
  play(): Promise<void> | undefined;
  p2p(o: unknown): P2PPluginInstance;
}

const params = readParams();
const el = video();
el.className = 'video-js';
registerP2PPlugin(videojs as unknown as VideojsStatic);
const create = videojs as unknown as (el: Element, options: Record<string, unknown>) => Player;
const player = create(el, { muted: true, autoplay: false, preload: 'auto', width: 320, height: 180 });
const plugin = player.p2p(params.p2p);
const viewer = exposeMixedViewer(params.label, el, () => plugin.stats());
const hooked = new WeakSet<Vhs>();
player.on('xhr-hooks-ready', () => {
  const vhs = player.tech({ IWillNotUseThisInPlugins: true })?.vhs;
  if (!vhs || hooked.has(vhs)) return;
  hooked.add(vhs);
  vhs.xhr.onResponse?.((request, error) => {
    if (error || request.requestType !== 'segment' || !request.uri) return;
    if (request.response instanceof ArrayBuffer) viewer.record(request.uri, request.response);
    else viewer.errors.push(`segment ${request.uri}: response is not an ArrayBuffer`);
  });
});
player.on('error', () => viewer.errors.push(`player error: ${JSON.stringify(player.error())}`));
player.src({ src: params.manifestUrl, type: 'application/x-mpegURL' });
// VHS loads nothing of a live stream before the first play: start at once.
player.ready(() => {
  player.play()?.catch((e: unknown) => viewer.errors.push(`play(): ${String(e)}`));
});
