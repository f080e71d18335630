/**
 * Drop-in mode for sites that cannot write code (WordPress): every Video.js player on the page gets P2P,
 * whether it was created before this script ran (`videojs.getPlayers()`) or after (`videojs.hook('setup')`).
 * Configuration comes from `window.swarmcastConfig = {...}` or the script tag's `data-swarmcast='{...}'`.
 */
import { SettingsError } from '../../core/index.js';
import { PLUGIN_NAME, registerP2PPlugin, type VideojsPlayer, type VideojsStatic } from './plugin.js';
import { resolveVideojsOptions } from './options.js';

/** The slice of `videojs` the drop-in uses on top of the plugin's. */
export interface VideojsAutoStatic extends VideojsStatic {
  hook(type: 'setup', fn: (player: AutoPlayer) => void): void;
  hook(type: 'beforesetup', fn: (el: Element, options: Record<string, unknown>) => Record<string, unknown>): void;
  removeHook(type: string, fn: unknown): boolean;
  getPlayers(): Record<string, AutoPlayer | null | undefined>;
}

type AutoPlayer = VideojsPlayer & {
  usingPlugin(name: string): boolean;
  isDisposed(): boolean;
} & Record<string, unknown>;

export interface AutoAttachHandle {
  /** Stops attaching to new players (already attached ones keep P2P until disposed). */
  stop(): void;
}

/** Attaches `p2p` with `config` to every current and future player of this `videojs`. */
export function autoAttach(videojs: VideojsAutoStatic, config: unknown = {}): AutoAttachHandle {
  // Validate once, up front: a broken site config is one readable error, not one per player.
  const options = resolveVideojsOptions(config);
  registerP2PPlugin(videojs);
  const start = (player: AutoPlayer): void => {
    if (player.isDisposed() || player.usingPlugin(PLUGIN_NAME)) return;
    try {
      (player[PLUGIN_NAME] as (o: unknown) => void)(config);
    } catch (e) {
      // One player failing must not break the others (or the page).
      videojs.log.warn('swarmcast: could not start P2P on a player', e);
    }
  };
  // Before setup, so VHS is preferred over native HLS for the player's very first source.
  const beforeSetup = (_el: Element, playerOptions: Record<string, unknown>): Record<string, unknown> => {
    if (!options.preferVhs) return playerOptions;
    const html5 = (playerOptions.html5 ?? {}) as Record<string, unknown>;
    const vhs = (html5.vhs ?? {}) as Record<string, unknown>;
    return { ...playerOptions, html5: { ...html5, vhs: { overrideNative: true, ...vhs } } };
  };
  videojs.hook('beforesetup', beforeSetup);
  videojs.hook('setup', start);
  for (const player of Object.values(videojs.getPlayers())) if (player) start(player);
  return {
    stop() {
      videojs.removeHook('setup', start);
      videojs.removeHook('beforesetup', beforeSetup);
    },
  };
}

interface PageWindow {
  videojs?: VideojsAutoStatic;
  swarmcastConfig?: unknown;
  swarmcastAuto?: AutoAttachHandle;
}

/**
 * The page's config: `window.swarmcastConfig` (false = off), else `data-swarmcast` JSON on our script tag, else
 * undefined (no drop-in: the script then only registers the plugin for `player.p2p()`).
 */
export function readPageConfig(script: Element | null | undefined, win: PageWindow): unknown {
  if (win.swarmcastConfig !== undefined) return win.swarmcastConfig;
  const attr = script?.getAttribute('data-swarmcast');
  if (attr === null || attr === undefined) return undefined;
  if (attr.trim() === '') return {};
  try {
    return JSON.parse(attr) as unknown;
  } catch {
    throw new SettingsError('swarmcast/videojs: data-swarmcast must be JSON, e.g. data-swarmcast=\'{"swarmId":"x"}\'');
  }
}

/** What the bundle runs when loaded by a script tag: register on the global videojs, drop in if configured. */
export function runFromScriptTag(win: PageWindow, script: Element | null | undefined): void {
  const videojs = win.videojs;
  if (!videojs || typeof videojs.registerPlugin !== 'function') return;
  registerP2PPlugin(videojs);
  const config = readPageConfig(script, win);
  if (config === undefined || config === false || win.swarmcastAuto) return;
  try {
    win.swarmcastAuto = autoAttach(videojs, config);
  } catch (e) {
    videojs.log.warn('swarmcast: P2P drop-in not started:', e instanceof Error ? e.message : e);
  }
}
