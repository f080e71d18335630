/** samples/clappr.html with the UMD bundle (see test/e2e/support/sample-smoke.ts). */
import { describeSampleSmoke } from '../support/sample-smoke.js';

describeSampleSmoke({
  sample: 'clappr',
  bundle: 'swarmcast-clappr',
  httpBytesExpr: 'player.core.activePlayback.p2pStats().httpBytes',
});
