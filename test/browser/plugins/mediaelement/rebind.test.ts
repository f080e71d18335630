/**
 * MediaElement plugin with the real MediaElement.js (native_hls renderer) and the suite's origin and tracker:
 * the renderer's hls.js instance loads through the engine, `setSrc` (a new instance) is rebound, and
 * `player.remove()` destroys the engine and leaves the prototype as it was after unregister().
 */
import { expect } from 'chai';
import Hls from 'hls.js';
import 'mediaelement';
import {
  registerMediaElementP2P,
  type MediaElementPlayerClass,
  type MediaElementPlayerLike,
} from '../../../../plugins/mediaelement/index.js';
import { testEnv } from '../../env.js';

interface MejsPlayer extends MediaElementPlayerLike {
  setSrc(src: string): void;
  play(): void;
  remove(): void;
}
type MejsClass = MediaElementPlayerClass & (new (el: HTMLElement, o: Record<string, unknown>) => MejsPlayer);

const manifest = (client: string): string =>
  `${testEnv.originUrl}/c/${client}-${Math.random().toString(36).slice(2, 8)}/hls-ts/master.m3u8`;

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('MediaElement plugin: real player', () => {
  it('binds the renderer hls.js instance, rebinds after setSrc, and remove() destroys the engine', async function () {
    this.timeout(40000);
    const MediaElementPlayer = (window as unknown as { MediaElementPlayer: MejsClass }).MediaElementPlayer;
    const registration = registerMediaElementP2P(MediaElementPlayer, Hls);
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.preload = 'auto';
    video.src = manifest('mejs-a');
    document.body.appendChild(video);
    let player: MejsPlayer | undefined;
    try {
      player = await new Promise<MejsPlayer>((resolve, reject) => {
        const p: MejsPlayer = new MediaElementPlayer(video, {
          renderers: ['native_hls'],
          features: ['p2p'],
          hls: { enableWorker: false },
          p2p: { swarmId: `mejs-rebind-${Date.now()}`, core: { trackerUrls: [testEnv.trackerUrl] } },
          success: () => setTimeout(() => resolve(p)),
          error: reject,
        });
      });
      const p = player;
      await waitFor(() => (p.p2pStats?.()?.httpBytes ?? 0) > 0, 20000, 'segments through the engine');
      const integration = p.p2p;
      const first = integration?.hls;
      expect(first).to.not.equal(undefined);
      const before = p.p2pStats?.()?.httpBytes ?? 0;

      p.setSrc(manifest('mejs-b'));
      p.play();
      await waitFor(
        () => integration?.hls !== first && (p.p2pStats?.()?.httpBytes ?? 0) > before,
        20000,
        'the new hls.js instance to load through the engine',
      );

      p.remove();
      player = undefined;
      expect(p.p2p, 'engine released').to.equal(undefined);
      const after = await integration?.engine.loadSegment('s', 'x').then(
        () => 'loaded',
        (e: unknown) => (e as { type?: string }).type,
      );
      expect(after, 'engine destroyed').to.equal('destroyed');
    } finally {
      player?.remove();
      registration.unregister();
      expect(MediaElementPlayer.prototype.buildp2p).to.equal(undefined);
      video.remove();
    }
  });
});
