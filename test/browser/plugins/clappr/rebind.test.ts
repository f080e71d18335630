/**
 * Clappr plugin with the real Clappr and the suite's origin and tracker: the playback's first hls.js instance
 * loads through the engine, a new instance (`load(url)` → `_setup()`) is rebound to the same engine, and
 * `player.destroy()` destroys the engine.
 */
import { expect } from 'chai';
import Clappr from '@clappr/player';
import {
  createSwarmcastClappr,
  type ClapprStatic,
  type SwarmcastPlaybackInstance,
} from '../../../../plugins/clappr/index.js';
import { testEnv } from '../../env.js';

interface ClapprPlayer {
  core: { activePlayback: SwarmcastPlaybackInstance };
  getCurrentTime(): number;
  destroy(): void;
}
type ClapprWithPlayer = ClapprStatic & { Player: new (options: Record<string, unknown>) => ClapprPlayer };

const manifest = (client: string): string =>
  `${testEnv.originUrl}/c/${client}-${Math.random().toString(36).slice(2, 8)}/hls-ts/master.m3u8`;

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Clappr plugin: real player', () => {
  it('binds every hls.js instance the playback creates to one engine, destroyed with the player', async function () {
    this.timeout(40000);
    const C = Clappr as ClapprWithPlayer;
    const parent = document.createElement('div');
    document.body.appendChild(parent);
    const player = new C.Player({
      parent,
      source: manifest('clappr-a'),
      mute: true,
      autoPlay: true,
      plugins: [createSwarmcastClappr(C)],
      playback: { hlsjsConfig: { enableWorker: false } },
      p2p: { swarmId: `clappr-rebind-${Date.now()}`, core: { trackerUrls: [testEnv.trackerUrl] } },
    });
    try {
      const playback = player.core.activePlayback;
      expect(playback.name).to.equal('swarmcast_hls');
      await waitFor(() => (playback.p2pStats()?.httpBytes ?? 0) > 0, 20000, 'segments through the engine');
      const first = playback.p2p?.hls;
      const engine = playback.p2p?.engine;
      expect(first).to.not.equal(undefined);
      const before = playback.p2pStats()?.httpBytes ?? 0;

      (playback as unknown as { load(url: string): void }).load(manifest('clappr-b'));
      (playback as unknown as { play(): void }).play();
      await waitFor(
        () => playback.p2p?.hls !== first && (playback.p2pStats()?.httpBytes ?? 0) > before,
        20000,
        'the new hls.js instance to load through the engine',
      );
      expect(playback.p2p?.engine, 'same engine').to.equal(engine);

      player.destroy();
      expect(playback.p2p, 'engine released').to.equal(undefined);
      const after = await engine?.loadSegment('s', 'x').then(
        () => 'loaded',
        (e: unknown) => (e as { type?: string }).type,
      );
      expect(after, 'engine destroyed').to.equal('destroyed');
    } finally {
      parent.remove();
    }
  });
});
