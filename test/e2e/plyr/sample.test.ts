/** samples/plyr.html: Plyr 3 on hls.js with swarmcast (see test/e2e/support/sample-swarm.ts). */
import assert from 'node:assert/strict';
import { describeSampleSwarm } from '../support/sample-swarm.js';

describeSampleSwarm({
  sample: 'plyr',
  player: 'Plyr',
  statsExpr: 'hls.p2p.getStats()',
  async check(page) {
    // Plyr decorated the hls.js <video> (its UI wraps it) and its quality menu lists the hls.js levels.
    const ui = await page.evaluate(() => ({
      wrapped: document.querySelector('.plyr video') !== null,
      // `player` is the sample's own top-level binding, not a window property.
      qualities: (0, eval)('player.config.quality.options') as unknown,
    }));
    assert.equal(ui.wrapped, true, 'Plyr did not wrap the <video>');
    assert.deepEqual(ui.qualities, [0, 480, 360, 240]);
  },
});
