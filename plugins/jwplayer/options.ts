/** JW setup keys the provider reads: `p2p` (the hls.js integration's options) and `hlsjsConfig`. */
import type { ConfigOf } from '../../core/internal.js';
import { HLSJS_OPTIONS_SCHEMA, optionsSchema, resolveOptionsWith } from '../../integrations/hlsjs/internal.js';

export const JW_OPTIONS_SCHEMA = optionsSchema('swarmcast/jwplayer', HLSJS_OPTIONS_SCHEMA.specs);
export type JwP2POptions = ConfigOf<typeof JW_OPTIONS_SCHEMA.specs>;

export function resolveJwOptions(input: unknown): JwP2POptions {
  return resolveOptionsWith(JW_OPTIONS_SCHEMA, input);
}

/** The slice of JW Player's setup config the provider receives as its second constructor argument. */
export interface JwProviderConfig {
  p2p?: unknown;
  /** hls.js config (JW has no such key; the third-party hls.js providers use this name). */
  hlsjsConfig?: Record<string, unknown>;
  /** DVR controls appear when the live window is at least this long (JW's own setting, seconds). */
  minDvrWindow?: number;
}

/** A source of a JW playlist item. */
export interface JwSource {
  file: string;
  type?: string;
  mimeType?: string;
  drm?: unknown;
}
export interface JwPlaylistItem {
  sources: JwSource[];
  starttime?: number;
}

export { VERSION } from '../../integrations/hlsjs/internal.js';
/** Provider name, as `jwplayer().getProvider().name` reports it. */
export const PROVIDER_NAME = 'swarmcast';

/** An HLS source hls.js can play here (DRM sources stay with JW's own providers). */
export function isHlsSource(source: Partial<JwSource> | undefined, hlsSupported: boolean): boolean {
  if (!source || source.drm || !hlsSupported) return false;
  const type = (source.type ?? '').toLowerCase();
  const mime = (source.mimeType ?? '').toLowerCase();
  const file = (source.file ?? '').split(/[?#]/)[0] ?? '';
  return type === 'hls' || type === 'm3u8' || mime.includes('mpegurl') || /\.m3u8$/i.test(file);
}
