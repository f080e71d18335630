import type { VhsHandler, VhsPlaylistLoader } from './types.js';

/**
 * Runs `fn` with VHS's playlist loader once it exists. VHS fires `xhr-hooks-ready` (where a new handler is met)
 * just before `src()` creates the loader; the manifest cannot have loaded by the next microtask.
 */
export function withPlaylistLoader(vhs: VhsHandler, fn: (loader: VhsPlaylistLoader) => void): void {
  if (vhs.playlists) {
    fn(vhs.playlists);
    return;
  }
  queueMicrotask(() => {
    if (vhs.playlists) fn(vhs.playlists);
  });
}
