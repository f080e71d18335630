/**
 * swarmcast for JW Player 8: a provider (hls.js + P2P) registered with `jwplayer.api.registerProvider` before
 * `jwplayer(id).setup({ file, p2p: {...}, hlsjsConfig: {...} })`; JW then picks it first for HLS sources.
 * JW Player is proprietary: this provider is tested against a contract double built from JW's published
 * provider interface, not against JW Player itself. hls.js is a peer dependency (the page's `window.Hls`).
 *
 * @module swarmcast/jwplayer
 */
import type Hls from 'hls.js';
import { createSwarmcastProvider, type SwarmcastProviderClass } from './provider.js';

/** `resolveJwOptions` checks `p2p` options as the provider will (a SettingsError names the bad key). */
export { VERSION, resolveJwOptions, type JwP2POptions } from './options.js';
export type { JwPlaylistItem, JwProviderConfig, JwSource } from './options.js';
export {
  createSwarmcastProvider,
  getSwarmcastProvider,
  type SwarmcastHlsProvider,
  type AudioTrack,
  type QualityLevel,
  type SwarmcastProvider as SwarmcastProviderInstance,
  type SwarmcastProviderClass,
} from './provider.js';

/** The slice of the `jwplayer` global used. */
export interface JwPlayerStatic {
  api: { registerProvider(provider: unknown): void };
}

/** Registers the provider on this `jwplayer` (JW registers a name once per page); returns the class. */
export function registerSwarmcastProvider(jwplayer: JwPlayerStatic, HlsClass: typeof Hls): SwarmcastProviderClass {
  const Provider = createSwarmcastProvider(HlsClass);
  jwplayer.api.registerProvider(Provider);
  return Provider;
}

/** Registered from `window.jwplayer` and `window.Hls` when this module loads after both (script tags). */
export const SwarmcastProvider: SwarmcastProviderClass | undefined = fromGlobals();

function fromGlobals(): SwarmcastProviderClass | undefined {
  const g = globalThis as { jwplayer?: Partial<JwPlayerStatic>; Hls?: typeof Hls };
  if (!g.Hls || typeof g.jwplayer?.api?.registerProvider !== 'function') return undefined;
  return registerSwarmcastProvider(g.jwplayer as JwPlayerStatic, g.Hls);
}
