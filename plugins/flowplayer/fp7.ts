/**
 * Flowplayer 7 (`flowplayer` 7.2.x, and forks such as FV Player's): an `hlsjs-lite` engine plugin. Flowplayer
 * calls engine plugins with each new hls.js instance right after `new Hls(conf)` and before `loadSource`, the
 * ideal bind point; a new clip gets a new instance, which rebinds. One engine per player, from the player's
 * `p2p` config key (`flowplayer(el, { clip, p2p: {...} })`, or page-wide `flowplayer.conf.p2p`), destroyed on
 * `shutdown`. Players without a `p2p` key (or with `p2p: false`) are left alone.
 */
import type Hls from 'hls.js';
import type { EngineStats } from '../../core/index.js';
import { HlsJsP2P, forwardEvents } from '../../integrations/hlsjs/internal.js';
import { EVENT_PREFIX, resolveFlowplayerOptions } from './options.js';

/** The slice of a Flowplayer 7 player API (`flowplayer(el)`) used. */
export interface Flowplayer7Api {
  conf: { p2p?: unknown } & Record<string, unknown>;
  one(event: string, fn: () => void): unknown;
  trigger(event: string, args?: unknown[]): unknown;
  /** Set by the plugin while P2P runs: the integration (engine included). */
  p2p?: HlsJsP2P | undefined;
  /** Set by the plugin while P2P runs. */
  p2pStats?: () => EngineStats;
}
interface EnginePluginArgs {
  hls: Hls;
  player: Flowplayer7Api;
}
type EnginePlugin = (args: EnginePluginArgs) => void;
const REGISTRATION = Symbol.for('swarmcast.flowplayer7');

/** The slice of the `flowplayer` 7 global used. */
export interface Flowplayer7Static {
  engine(name: string): Flowplayer7Engine | undefined;
}
/** A Flowplayer 7 engine (`flowplayer.engine('hlsjs-lite')`). */
export interface Flowplayer7Engine {
  plugin(cb: EnginePlugin): void;
  extensions?: EnginePlugin[];
  /** Our registration, kept on the engine (Symbol.for: shared by every copy of this module on the page). */
  [REGISTRATION]?: Flowplayer7Registration | undefined;
}

export interface Flowplayer7Registration {
  /** Stops binding new players and destroys the engines of players still running. */
  unregister(): void;
}

/** Registers the swarmcast `hlsjs-lite` engine plugin on this `flowplayer` 7 (needs `window.Hls`, as the engine). */
export function registerFlowplayer7(flowplayer: Flowplayer7Static): Flowplayer7Registration {
  const engine = flowplayer.engine('hlsjs-lite');
  if (!engine) throw new Error('swarmcast/flowplayer: this flowplayer has no hlsjs-lite engine');
  // Idempotent: the UMD registers itself and a page may call this too; two plugins would mean two engines per
  // player (peering with each other).
  const existing = engine[REGISTRATION];
  if (existing) return existing;
  const running = new Map<Flowplayer7Api, () => void>();
  let active = true;

  const onHls: EnginePlugin = ({ hls, player }) => {
    if (!active) return;
    const existing = player.p2p;
    if (existing && running.has(player)) {
      existing.attach(hls); // new clip, new hls.js instance
      return;
    }
    const input = player.conf.p2p;
    if (input === undefined || input === false) return;
    let p2p: HlsJsP2P;
    try {
      p2p = new HlsJsP2P(resolveFlowplayerOptions(input));
    } catch (e) {
      // Throwing here would break playback; the player plays over HTTP and the error is reported.
      console.error(e);
      player.trigger(`${EVENT_PREFIX}error`, [player, e]);
      return;
    }
    const unforward = forwardEvents(p2p.engine, (name, e) => void player.trigger(EVENT_PREFIX + name, [player, e]));
    const stop = (): void => {
      running.delete(player);
      unforward();
      p2p.destroy();
      if (player.p2p === p2p) {
        delete player.p2p;
        delete player.p2pStats;
      }
    };
    running.set(player, stop);
    player.one('shutdown', () => running.get(player)?.());
    player.p2p = p2p;
    player.p2pStats = () => p2p.getStats();
    p2p.attach(hls); // before loadSource: the manifest already goes through our playlist loader
  };

  engine.plugin(onHls);
  const registration: Flowplayer7Registration = {
    unregister() {
      active = false;
      if (engine[REGISTRATION] === registration) engine[REGISTRATION] = undefined;
      const list = engine.extensions;
      const index = list ? list.indexOf(onHls) : -1;
      if (list && index >= 0) list.splice(index, 1);
      for (const stop of [...running.values()]) stop();
    },
  };
  engine[REGISTRATION] = registration;
  return registration;
}
