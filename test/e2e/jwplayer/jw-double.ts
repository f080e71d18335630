/**
 * A JW Player 8 contract double (JW Player is proprietary, not installable): the parts of jwplayer/jwplayer a
 * provider meets, rebuilt from its published sources. `api.registerProvider` follows
 * `providers/providers-register.ts` (name once per page, newest first in the supported list, missing methods
 * filled from `providers/default.ts`); `setup()` chooses the first provider whose `supports(source)` is true (the
 * built-in 'hlsjs' and 'html5' come after registered ones), constructs it as `new Provider(id, config, video)`,
 * syncs volume/mute (`provider-controller.js`), then `setContainer`, `init`, `load`, `play` and follows the
 * provider through `on('all')` as JW's media controller does.
 */
type Fn = (...args: unknown[]) => unknown;
interface ProviderCtor {
  new (id: string, config: Record<string, unknown>, video: HTMLVideoElement): ProviderInstance;
  getName(): { name: string };
  supports(source: unknown): boolean;
  prototype: Record<string, unknown>;
}
export type ProviderInstance = Record<string, Fn> & { video: HTMLVideoElement; state?: string };

/** DefaultProvider's members (jwplayer/jwplayer src/js/providers/default.ts). */
export const DEFAULT_PROVIDER_METHODS = [
  'supports',
  'play',
  'pause',
  'preload',
  'load',
  'stop',
  'volume',
  'mute',
  'seek',
  'resize',
  'remove',
  'destroy',
  'setVisibility',
  'setFullscreen',
  'getFullscreen',
  'supportsFullscreen',
  'getContainer',
  'setContainer',
  'getName',
  'getQualityLevels',
  'getCurrentQuality',
  'setCurrentQuality',
  'getAudioTracks',
  'getCurrentAudioTrack',
  'setCurrentAudioTrack',
  'getSeekRange',
  'setPlaybackRate',
  'getPlaybackRate',
  'getBandwidthEstimate',
  'getLiveLatency',
  'setControls',
  'attachMedia',
  'detachMedia',
  'init',
  'setState',
  'sendMediaType',
  'getDuration',
  'trigger',
];

const supported: { name: string; supports: (source: { type?: string; file?: string }) => boolean }[] = [
  // Built-ins, in JW's order: both would take an HLS source if no registered provider came first.
  { name: 'hlsjs', supports: (s) => s.type === 'hls' || (s.file ?? '').includes('.m3u8') },
  { name: 'html5', supports: (s) => /mp4|webm|aac|mp3/.test(s.type ?? '') || /\.(mp4|webm)$/.test(s.file ?? '') },
];
const loaded: Record<string, ProviderCtor> = {};
/** Methods the registered provider did not define itself (filled from the defaults, as JW does). */
export const filledFromDefaults: Record<string, string[]> = {};

function registerProvider(provider: ProviderCtor): void {
  const name = provider.getName().name;
  if (loaded[name]) return;
  if (!supported.some((s) => s.name === name)) {
    if (typeof provider.supports !== 'function') throw new Error('Tried to register a provider with an invalid object');
    supported.unshift({ name, supports: (s) => provider.supports(s) });
  }
  const filled: string[] = [];
  for (const m of DEFAULT_PROVIDER_METHODS) {
    if (!(m in provider.prototype)) {
      filled.push(m);
      provider.prototype[m] = () => undefined; // DefaultProvider's members are no-ops
    }
  }
  filledFromDefaults[name] = filled;
  loaded[name] = provider;
}

/** Which provider JW would use for this source. */
export function choose(source: { type?: string; file: string }): string | undefined {
  return supported.find((s) => s.supports(source))?.name;
}

export interface JwDouble {
  provider: ProviderInstance;
  name: string;
  events: { type: string; data: unknown }[];
  remove(): void;
}

export function setup(
  container: HTMLElement,
  config: { file: string; type?: string; mute?: boolean; volume?: number; autostart?: boolean } & Record<
    string,
    unknown
  >,
): JwDouble {
  const source = { file: config.file, type: config.type ?? 'hls' };
  const name = choose(source);
  const Provider = name ? loaded[name] : undefined;
  if (!name || !Provider) throw new Error(`no registered provider for ${config.file} (would use ${name})`);
  const video = document.createElement('video');
  video.setAttribute('playsinline', '');
  const provider = new Provider('player-1', config, video);
  const events: { type: string; data: unknown }[] = [];
  provider.on?.('all', (type: unknown, data: unknown) => void events.push({ type: String(type), data }));
  provider.volume?.(config.volume ?? 90);
  provider.mute?.(config.mute ?? false);
  provider.setContainer?.(container);
  const item = { sources: [source], starttime: 0 };
  provider.init?.(item);
  provider.load?.(item);
  if (config.autostart) void (provider.play?.() as Promise<void> | undefined)?.catch(() => undefined);
  return { provider, name, events, remove: () => void provider.destroy?.() };
}

export const jwplayer = { api: { registerProvider } };
