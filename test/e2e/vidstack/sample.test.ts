/** samples/vidstack.html: Vidstack's <media-player> on hls.js with swarmcast (see test/e2e/support/sample-swarm.ts). */
import assert from 'node:assert/strict';
import { describeSampleSwarm } from '../support/sample-swarm.js';

describeSampleSwarm({
  sample: 'vidstack',
  player: 'Vidstack',
  statsExpr: 'window.hls && window.hls.p2p.getStats()',
  async check(page) {
    // The hls.js instance Vidstack made and plays with is the one with swarmcast in it.
    const state = await page.evaluate(() => {
      const player = document.getElementById('player') as unknown as {
        provider?: { type?: string; instance?: unknown };
      };
      return {
        provider: player.provider?.type,
        same: player.provider?.instance !== undefined && player.provider.instance === (window as { hls?: unknown }).hls,
      };
    });
    assert.deepEqual(state, { provider: 'hls', same: true });
  },
});
