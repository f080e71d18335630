/**
 * The hook: dash.js's own extension mechanism, `player.extend('XHRLoader', factory, true)`. dash.js creates its
 * modules through per-player factories; an extension registered with override = true is applied to every
 * XHRLoader that player creates, replacing the public methods it names and keeping the built-in loader as
 * `this.parent`. HTTPLoader keeps doing everything else (request interceptors, CMCD, retries, timeouts, metrics,
 * response interceptors): only the final network step of a media or init segment request is answered by the
 * engine; every other request goes to the built-in XHRLoader untouched.
 *
 * dash.js cannot take an extension back, so it is registered once per player and looks up the player's current
 * route on every request (none after `destroy()`: everything passes through). The route lives under a
 * `Symbol.for` key on the player, so two copies of this bundle on one page share one extension.
 */
import type { DashjsPlayer, LoaderRequest, LoaderResponse } from './types.js';

export const ROUTE = Symbol.for('swarmcast.dashjs.route');

export interface LoaderRoute {
  /**
   * Takes the request (true) or leaves it to dash.js's XHRLoader (false). `fallback` hands it to that loader
   * later; the returned cancel function is kept until the request settles, for the loader's reset().
   */
  serve(request: LoaderRequest, response: LoaderResponse, fallback: () => void): (() => void) | undefined;
}

type Routed = DashjsPlayer & { [ROUTE]?: LoaderRoute | null };

/** The built-in XHRLoader's public methods we override (dash.js 5: load(request, response), reset…). */
interface XhrLoaderLike {
  load(request: LoaderRequest, response: LoaderResponse): unknown;
  reset(): void;
  resetInitialSettings(): void;
}

/** The route every XHRLoader of this player consults; undefined: pass everything through. */
export function setRoute(player: DashjsPlayer, route: LoaderRoute | undefined): void {
  (player as Routed)[ROUTE] = route ?? null;
}

/** Whether this player already carries the extension (attached before, by this or another copy of the bundle). */
export function hasLoader(player: DashjsPlayer): boolean {
  return ROUTE in player;
}

/** Registers the XHRLoader extension on this player once (dash.js applies it to loaders it creates later). */
export function installLoader(player: DashjsPlayer): void {
  if (hasLoader(player)) return;
  (player as Routed)[ROUTE] = null;
  function SwarmcastXHRLoader(this: { parent: XhrLoaderLike }): Partial<XhrLoaderLike> {
    const parent = this.parent;
    // Captured now: dash.js replaces the parent's properties with ours right after this returns.
    const parentLoad = parent.load.bind(parent);
    const parentReset = parent.reset.bind(parent);
    const parentResetInitial = parent.resetInitialSettings.bind(parent);
    const inflight = new Set<() => void>();
    const cancelAll = (): void => {
      for (const cancel of [...inflight]) cancel();
      inflight.clear();
    };
    return {
      load(request: LoaderRequest, response: LoaderResponse): unknown {
        const route = (player as Routed)[ROUTE];
        const pending = { cancel: undefined as (() => void) | undefined };
        const forget = (): void => {
          if (pending.cancel) inflight.delete(pending.cancel);
        };
        pending.cancel = route?.serve(request, response, () => {
          forget();
          parentLoad(request, response);
        });
        if (!pending.cancel) return parentLoad(request, response);
        // Forget the request once it settles, whichever way (HTTPLoader may clear onloadend before aborting).
        const handlers = request.customData ?? {};
        const { onloadend, onabort } = handlers;
        handlers.onloadend = () => {
          forget();
          onloadend?.();
        };
        handlers.onabort = () => {
          forget();
          onabort?.();
        };
        inflight.add(pending.cancel);
        return true;
      },
      reset(): void {
        cancelAll();
        parentReset();
      },
      resetInitialSettings(): void {
        cancelAll();
        parentResetInitial();
      },
    };
  }
  player.extend('XHRLoader', SwarmcastXHRLoader, true);
}
