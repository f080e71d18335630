/** samples/mediaelement.html with the UMD bundle (see test/e2e/support/sample-smoke.ts). */
import { describeSampleSmoke } from '../support/sample-smoke.js';

describeSampleSmoke({
  sample: 'mediaelement',
  bundle: 'swarmcast-mediaelement',
  httpBytesExpr: 'player.p2pStats().httpBytes',
});
