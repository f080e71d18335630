/** What the Video.js viewer pages report on top of the player-agnostic ViewerReport. */
import type { ViewerReport } from '../support/types.js';

export interface VideojsViewerReport extends ViewerReport {
  /** Player requests the engine answered, by source (the plugin's `stats().served`). */
  served: Record<string, number>;
  /** Text of the `.vjs-p2p` overlay, read from the DOM. */
  overlayText: string | undefined;
  /** P2P share (%) shown by the overlay (its `data-p2p-share`). */
  overlayShare: number | undefined;
  /** Drop-in pages: media element state and the last engine events, printed when playback hangs. */
  debugTrail?: string[];
}
