/** Clappr + swarmcast end to end (see test/e2e/support/two-viewers.ts for what is asserted). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTwoViewers } from '../support/two-viewers.js';

describeTwoViewers({
  player: 'clappr',
  entry: path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-entry.ts'),
  vendorScripts: ['node_modules/@clappr/player/dist/clappr.min.js'],
});
