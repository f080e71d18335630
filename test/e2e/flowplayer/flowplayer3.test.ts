/** @flowplayer/player 3.x + swarmcast end to end (see test/e2e/support/two-viewers.ts for what is asserted). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTwoViewers } from '../support/two-viewers.js';

describeTwoViewers({
  player: 'flowplayer3',
  entry: path.join(path.dirname(fileURLToPath(import.meta.url)), 'fp3-entry.ts'),
  vendorScripts: ['node_modules/@flowplayer/player/default.js', 'node_modules/@flowplayer/player/plugins/hls.js'],
});
