/** samples/dashjs.html with the UMD bundle and dash.js's own UMD build (see test/e2e/support/sample-smoke.ts). */
import { describeSampleSmoke } from '../support/sample-smoke.js';

describeSampleSmoke({
  sample: 'dashjs',
  bundle: 'swarmcast-dashjs',
  httpBytesExpr: 'p2p.getStats().httpBytes',
});
