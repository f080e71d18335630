/** MediaElement.js + swarmcast end to end (see test/e2e/support/two-viewers.ts for what is asserted). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTwoViewers } from '../support/two-viewers.js';

describeTwoViewers({
  player: 'mediaelement',
  entry: path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-entry.ts'),
  vendorScripts: [
    'node_modules/hls.js/dist/hls.min.js',
    'node_modules/mediaelement/build/mediaelement-and-player.min.js',
  ],
});
