/**
 * The `p2p` feature of MediaElement.js 7 (`features: [..., 'p2p'], p2p: {...}`): P2P for the `native_hls`
 * renderer (hls.js). MediaElement builds features after its renderer created the hls.js instance but before that
 * instance loads fragments (the manifest is still in flight), so binding in `buildp2p` is in time; `setSrc`
 * creates a new instance, which is rebound when it starts loading its manifest (`hlsManifestLoading`, re-dispatched
 * by MediaElement on the media).
 */
import type Hls from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { HlsJsP2P } from '../../integrations/hlsjs/index.js';
import { resolveMediaElementOptions } from './options.js';

export { VERSION } from '../../integrations/hlsjs/index.js';
export const FEATURE_NAME = 'p2p';

/** The slice of MediaElement's media wrapper used (`player.media`). */
export interface MediaElementMedia {
  hlsPlayer?: Hls | null;
  rendererName?: string | null;
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

/** A MediaElementPlayer instance as the feature sees it. */
export interface MediaElementPlayerLike {
  options: { p2p?: unknown } & Record<string, unknown>;
  media: MediaElementMedia;
  /** Set by the feature: the integration (engine included) of this player; undefined when P2P is off. */
  p2p?: HlsJsP2P | undefined;
  /** Engine stats of this player, undefined when P2P is off. */
  p2pStats?: () => EngineStats | undefined;
}

type Build = (player: MediaElementPlayerLike, controls: unknown, layers: unknown, media: MediaElementMedia) => void;
export interface MediaElementPlayerClass {
  prototype: Record<string, unknown>;
}

interface FeatureState {
  p2p: HlsJsP2P;
  onManifestLoading: () => void;
}
const states = new WeakMap<MediaElementPlayerLike, FeatureState>();

const buildp2p: Build = (player, _controls, _layers, media) => {
  // Validate first: a bad option throws inside MediaElement's feature loop (logged), leaving nothing behind.
  const p2p = new HlsJsP2P(resolveMediaElementOptions(player.options.p2p));
  const bindCurrent = (): void => {
    const hls = media.hlsPlayer;
    if (hls && p2p.hls !== hls) p2p.attach(hls);
  };
  states.set(player, { p2p, onManifestLoading: bindCurrent });
  media.addEventListener('hlsManifestLoading', bindCurrent);
  bindCurrent();
  if (media.rendererName && media.rendererName !== 'native_hls') {
    // html5 (native HLS) or another renderer: hls.js is not used, so neither is P2P.
    console.warn(
      `swarmcast/mediaelement: renderer "${media.rendererName}" bypasses hls.js, P2P is off for this source ` +
        "(list 'native_hls' first in `renderers`)",
    );
  }
  player.p2p = p2p;
  player.p2pStats = () => p2p.getStats();
};

const cleanp2p: Build = (player, _layers, _controls, media) => {
  const state = states.get(player);
  if (!state) return;
  states.delete(player);
  media.removeEventListener('hlsManifestLoading', state.onManifestLoading);
  state.p2p.destroy();
  delete player.p2p;
  delete player.p2pStats;
};

const registrations = new WeakMap<object, MediaElementRegistration>();

export interface MediaElementRegistration {
  /** Removes the feature from the prototype and restores a global `Hls` this registration set. */
  unregister(): void;
}

/**
 * Adds the `p2p` feature to `MediaElementPlayer`. `Hls` is the hls.js class players must use (the version you
 * ship): when the page has no global `Hls`, it becomes `window.Hls`, because MediaElement would otherwise
 * script-load `hls.js@latest` from a CDN.
 */
export function registerMediaElementP2P(
  MediaElementPlayer: MediaElementPlayerClass,
  HlsClass?: typeof Hls,
): MediaElementRegistration {
  const proto = MediaElementPlayer.prototype;
  // Idempotent: the UMD registers itself and a page may call this too.
  const existing = registrations.get(proto);
  if (existing) return existing;
  const g = globalThis as { Hls?: typeof Hls };
  const setGlobal = HlsClass !== undefined && g.Hls === undefined;
  if (setGlobal) g.Hls = HlsClass;
  if (g.Hls === undefined) {
    console.warn('swarmcast/mediaelement: no hls.js (global Hls): MediaElement would load hls.js@latest from a CDN');
  }
  const previous = { build: proto.buildp2p, clean: proto.cleanp2p };
  proto.buildp2p = buildp2p;
  proto.cleanp2p = cleanp2p;
  const registration: MediaElementRegistration = {
    unregister() {
      registrations.delete(proto);
      if (proto.buildp2p === buildp2p) proto.buildp2p = previous.build;
      if (proto.cleanp2p === cleanp2p) proto.cleanp2p = previous.clean;
      if (setGlobal && g.Hls === HlsClass) delete g.Hls;
    },
  };
  registrations.set(proto, registration);
  return registration;
}
