/**
 * `VhsP2P`: one engine plus the glue for one Video.js player on VHS. `attach(player)` binds the current VHS
 * handler (if the source is already set) and every later one: VHS fires `xhr-hooks-ready` on the player from
 * `handleSource`, before the first manifest request, each time a new source gets a new handler.
 */
import type { EngineStats } from '../../core/index.js';
import { EngineOwner } from '../common/engine-owner.js';
import { PLAYBACK_EVENTS, PlaybackReporter, type PlaybackSource } from '../common/playback.js';
import { VhsBinding } from './binding.js';
import { resolveVhsOptions, type VhsP2POptions } from './options.js';
import type { EngineLike, PlayerLike, VhsHandler, VideojsLike } from './types.js';

/** A Video.js player as a playback source (its getters mirror the media element's). */
function playerSource(player: PlayerLike): PlaybackSource {
  return {
    read: () => ({
      positionSec: player.currentTime(),
      paused: player.paused(),
      rate: player.playbackRate(),
      buffered: player.buffered(),
    }),
    listen: (fn) => {
      player.on(PLAYBACK_EVENTS, fn);
      return () => player.off(PLAYBACK_EVENTS, fn);
    },
  };
}

export class VhsP2P {
  /** The engine (events, stats, runtime settings: `p2p.engine.on('segment-loaded', …)`). */
  readonly engine: EngineLike;
  readonly options: Readonly<VhsP2POptions>;
  private readonly owner: EngineOwner;
  private readonly playback: PlaybackReporter;
  private player: PlayerLike | undefined;
  private binding: VhsBinding | undefined;
  private destroyed = false;

  constructor(
    private readonly videojs: VideojsLike,
    options?: Partial<VhsP2POptions>,
  ) {
    this.options = resolveVhsOptions(options);
    this.owner = new EngineOwner(this.options);
    this.engine = this.owner.engine;
    this.playback = new PlaybackReporter(this.engine);
  }

  /** Binds a player: its current VHS handler now, and the handler of every later source. */
  attach(player: PlayerLike): void {
    if (this.destroyed) throw new Error('swarmcast/vhs: attach() after destroy()');
    if (this.player === player) return;
    this.detach();
    this.player = player;
    player.on('xhr-hooks-ready', this.onHooksReady);
    this.onHooksReady();
    this.playback.attach(playerSource(player));
  }

  /** Unbinds the player: removes our hook and listeners; the engine stays (re-`attach` later). */
  detach(): void {
    const player = this.player;
    if (!player) return;
    player.off('xhr-hooks-ready', this.onHooksReady);
    this.playback.attach(undefined);
    this.binding?.destroy();
    this.binding = undefined;
    this.player = undefined;
  }

  /** The VHS handler currently bound, if any. */
  get vhs(): VhsHandler | undefined {
    return this.binding?.vhs;
  }

  /** Player requests answered by the engine, by source (diagnostics). */
  served(): Readonly<Record<string, number>> {
    return { ...this.binding?.served };
  }

  getStats(): EngineStats {
    return this.engine.getStats();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.detach();
    this.owner.destroy();
  }

  private readonly onHooksReady = (): void => {
    const player = this.player;
    if (!player || this.destroyed) return;
    const vhs = player.tech({ IWillNotUseThisInPlugins: true })?.vhs;
    // Per-player hooks appear with the handler (setupXhrHooks_); an older VHS without them cannot be served.
    if (!vhs || vhs === this.binding?.vhs || typeof vhs.xhr.onRequest !== 'function') return;
    this.binding?.destroy();
    const manifestUrl = player.currentSrc();
    const type = (player as { currentType?: () => string }).currentType?.() ?? '';
    const isDash = /dash/i.test(type) || /\.mpd($|[?#])/i.test(manifestUrl);
    this.binding = new VhsBinding(vhs, this.engine, this.options, this.videojs, { manifestUrl, isDash });
  };
}
