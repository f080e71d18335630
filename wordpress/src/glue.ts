/**
 * The WordPress plugin's page script (js/swarmcast-wp.js): starts P2P on each player whose swarmcast bundle the
 * plugin enqueued, with the settings it put in `window.swarmcastWp` (wp_add_inline_script). Every player keeps
 * playing over HTTP when something here fails: a bad setting is a console warning, never a broken page.
 */

/** `window.swarmcastWp`, written by Swarmcast_Frontend::enqueue(). */
export interface WpConfig {
  /** Engine settings (trackerUrls, rtcConfig, uploadEnabled, uploadRateBytesPerSec, integrity). */
  core: Record<string, unknown>;
  /** Live streams: seconds behind the live edge (0 = the player's own). */
  liveDelaySec: number;
}

/** A bundle's own options validator (resolveMediaElementOptions, resolveVideojsOptions…): throws on bad input. */
export type Resolver = (input: unknown) => unknown;

type Warn = (message: string) => void;

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Player options for one bundle, validated by it: undefined (and a warning) when it rejects them. */
function optionsFor(
  resolve: Resolver,
  config: WpConfig,
  extra: Record<string, unknown>,
  warn: Warn,
): Record<string, unknown> | undefined {
  const options = { core: { ...config.core }, ...extra };
  try {
    resolve(options);
    return options;
  } catch (e) {
    warn(`swarmcast: P2P not started, the plugin settings were rejected: ${reason(e)}`);
    return undefined;
  }
}

interface MediaElementBundle {
  resolveMediaElementOptions: Resolver;
  registration?: unknown;
}
interface VideojsBundle {
  resolveVideojsOptions: Resolver;
  autoAttach(videojs: unknown, config: unknown): unknown;
}
interface FlowplayerBundle {
  resolveFlowplayerOptions: Resolver;
  registerFlowplayer7(flowplayer: unknown): unknown;
  flowplayer7?: unknown;
}
interface Flowplayer7Global {
  conf?: Record<string, unknown>;
  engine?: (name: string) => unknown;
}

/** The page globals this script reads and writes. */
export interface GlueWindow {
  swarmcastWp?: WpConfig;
  swarmcast?: { mediaelement?: MediaElementBundle; videojs?: VideojsBundle; flowplayer?: FlowplayerBundle };
  /** WordPress's MediaElement settings (wp_localize_script), read by wp-mediaelement.js at DOM ready. */
  _wpmejsSettings?: Record<string, unknown>;
  mejs?: { MepDefaults?: { features?: unknown } };
  videojs?: unknown;
  /** The Video.js drop-in's own switches (see plugins/videojs/auto-attach.ts). */
  swarmcastConfig?: unknown;
  swarmcastAuto?: unknown;
  flowplayer?: Flowplayer7Global;
  /** FV Player's own build of Flowplayer 7. */
  freedomplayer?: Flowplayer7Global;
}

/** MediaElement.js 4's default features, used when WordPress's settings name none. */
const MEJS_FEATURES = ['playpause', 'current', 'progress', 'duration', 'tracks', 'volume', 'fullscreen'];

/**
 * WordPress's [video] shortcode and Video block: wp-mediaelement.js creates every player at DOM ready from
 * `_wpmejsSettings`; adding the `p2p` feature and its options there gives each of them P2P.
 */
export function startMediaElement(win: GlueWindow, config: WpConfig, warn: Warn): boolean {
  const bundle = win.swarmcast?.mediaelement;
  if (!bundle) return false;
  if (!bundle.registration) {
    warn('swarmcast: the MediaElement p2p feature is not registered (no MediaElementPlayer or Hls global)');
    return false;
  }
  const extra = config.liveDelaySec > 0 ? { liveSyncDurationSec: config.liveDelaySec } : {};
  const p2p = optionsFor(bundle.resolveMediaElementOptions, config, extra, warn);
  if (!p2p) return false;
  const settings = (win._wpmejsSettings ??= {});
  const named = Array.isArray(settings.features) ? (settings.features as unknown[]) : undefined;
  const defaults = win.mejs?.MepDefaults?.features;
  const features = named ?? (Array.isArray(defaults) ? (defaults as unknown[]) : MEJS_FEATURES);
  settings.features = features.includes('p2p') ? features : [...features, 'p2p'];
  settings.p2p = p2p;
  return true;
}

/** The slice of a Video.js player (and of its swarmcast plugin) used to catch a missed VHS handler. */
interface VideojsPlayerLike {
  on(type: string, fn: () => void): void;
  usingPlugin(name: string): boolean;
  p2p(): { p2p?: { vhs?: unknown; detach(): void; attach(player: unknown): void } };
  tech(options: { IWillNotUseThisInPlugins: true }): { vhs?: unknown } | undefined;
}
interface VideojsHooks {
  hook(type: 'setup', fn: (player: VideojsPlayerLike) => void): void;
  getPlayers(): Record<string, VideojsPlayerLike | null | undefined>;
}

/**
 * A player built from markup (`<video-js data-setup>` with <source> children, as WordPress player plugins print
 * it) creates its VHS handler while the player is still loading its tech: VHS's `xhr-hooks-ready` then comes
 * before `player.tech()` answers, the swarmcast plugin finds no handler to bind, and the player plays with P2P
 * silently off. By `loadstart` (VHS attached its MediaSource) the tech is there: bind again if it was missed.
 */
function rebindMissedVhs(player: VideojsPlayerLike): void {
  player.on('loadstart', () => {
    if (!player.usingPlugin('p2p')) return;
    const vhsP2P = player.p2p().p2p;
    if (!vhsP2P || vhsP2P.vhs !== undefined || player.tech({ IWillNotUseThisInPlugins: true })?.vhs === undefined) {
      return;
    }
    vhsP2P.detach();
    vhsP2P.attach(player);
  });
}

/** Video.js players (created before or after this script): the drop-in's autoAttach. */
export function startVideojs(win: GlueWindow, config: WpConfig, warn: Warn): boolean {
  const bundle = win.swarmcast?.videojs;
  // A page that turned the drop-in off, or where it already runs (a hand-made drop-in), is left as it is.
  if (!bundle || !win.videojs || win.swarmcastConfig === false || win.swarmcastAuto) return false;
  // preferVhs: browsers that play HLS themselves (Safari, Chromium since 2025) would otherwise bypass VHS, and P2P.
  const extra = { preferVhs: true, ...(config.liveDelaySec > 0 ? { liveDelaySec: config.liveDelaySec } : {}) };
  const options = optionsFor(bundle.resolveVideojsOptions, config, extra, warn);
  if (!options) return false;
  win.swarmcastAuto = bundle.autoAttach(win.videojs, options);
  // After autoAttach's own setup hook, so the plugin is on the player when this listens.
  const videojs = win.videojs as VideojsHooks;
  if (typeof videojs.hook === 'function' && typeof videojs.getPlayers === 'function') {
    videojs.hook('setup', rebindMissedVhs);
    for (const player of Object.values(videojs.getPlayers())) if (player) rebindMissedVhs(player);
  }
  return true;
}

/** FV Player / Flowplayer 7: page-wide `flowplayer.conf.p2p`, merged into each player's config. */
export function startFlowplayer(win: GlueWindow, config: WpConfig, warn: Warn): boolean {
  const bundle = win.swarmcast?.flowplayer;
  const fp = win.flowplayer?.conf ? win.flowplayer : win.freedomplayer;
  if (!bundle || !fp?.conf) return false;
  if (!bundle.flowplayer7) {
    // The bundle registers itself on `window.flowplayer`; FV Player builds that only define `freedomplayer`.
    try {
      bundle.flowplayer7 = bundle.registerFlowplayer7(fp);
    } catch (e) {
      warn(`swarmcast: Flowplayer has no hlsjs-lite engine, P2P not started (${reason(e)})`);
      return false;
    }
  }
  if (fp.conf.p2p !== undefined) return false; // the site configured P2P itself
  const extra = config.liveDelaySec > 0 ? { liveSyncDurationSec: config.liveDelaySec } : {};
  const p2p = optionsFor(bundle.resolveFlowplayerOptions, config, extra, warn);
  if (!p2p) return false;
  fp.conf.p2p = p2p;
  return true;
}

/** Starts every player part whose bundle is on the page; returns the names of those started. */
export function run(win: GlueWindow, warn: Warn = (m) => console.warn(m)): string[] {
  const config = win.swarmcastWp;
  if (!config) return [];
  const started: string[] = [];
  const parts = { mediaelement: startMediaElement, videojs: startVideojs, flowplayer: startFlowplayer };
  for (const [name, start] of Object.entries(parts)) {
    try {
      if (start(win, config, warn)) started.push(name);
    } catch (e) {
      warn(`swarmcast: ${name}: ${reason(e)}`);
    }
  }
  return started;
}
