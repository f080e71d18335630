/**
 * Per-player VHS request hooks *replace* the global ones: VHS's xhr runs the player's hook set if it exists,
 * otherwise `videojs.Vhs.xhr`'s. Installing ours per player would silently switch off every global hook other
 * plugins or the page added (auth tokens, CDN rewrites). So our hook first runs the global hooks itself, in
 * their order, and only then looks at the (possibly rewritten) request.
 */
import type { RequestHook, VhsXhr, VideojsLike, XhrOptions } from './types.js';

export function requestHookChain(
  videojs: VideojsLike,
  playerXhr: VhsXhr,
  own: (options: XhrOptions) => XhrOptions,
): RequestHook {
  const hook: RequestHook = (options) => {
    let current = options;
    // Read at call time: global hooks added after us still apply, removed ones no longer do.
    const globalSet = videojs.Vhs?.xhr?._requestCallbackSet;
    if (globalSet && globalSet !== playerXhr._requestCallbackSet) {
      for (const globalHook of globalSet) {
        if (globalHook === hook) continue;
        current = globalHook(current) ?? current;
      }
    }
    return own(current);
  };
  return hook;
}
