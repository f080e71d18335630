/** Flowplayer 7 + swarmcast end to end (see test/e2e/support/two-viewers.ts for what is asserted). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTwoViewers } from '../support/two-viewers.js';

describeTwoViewers({
  player: 'flowplayer7',
  entry: path.join(path.dirname(fileURLToPath(import.meta.url)), 'fp7-entry.ts'),
  vendorScripts: ['node_modules/hls.js/dist/hls.min.js', 'node_modules/flowplayer/dist/flowplayer.min.js'],
});
