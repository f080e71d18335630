/** samples/flowplayer7.html and flowplayer3.html with the UMD bundle (see test/e2e/support/sample-smoke.ts). */
import { describeSampleSmoke } from '../support/sample-smoke.js';

describeSampleSmoke({
  sample: 'flowplayer7',
  bundle: 'swarmcast-flowplayer',
  httpBytesExpr: 'player.p2pStats().httpBytes',
});
describeSampleSmoke({
  sample: 'flowplayer3',
  bundle: 'swarmcast-flowplayer',
  httpBytesExpr: 'player.p2pStats().httpBytes',
});
