/**
 * Native HLS (Safari, iOS) skips every VHS hook. Chromium has no native HLS, so the test makes it look native
 * (VHS told native HLS exists, the element claiming it can play it) the way VHS itself decides it on Safari.
 */
import { expect } from 'chai';
import { registerP2PPlugin } from '../../../../plugins/videojs/index.js';
import { disposeAll, manifest, newPlayer, testCore, vjs, waitFor } from './helpers.js';

describe('Video.js plugin: native HLS detection', () => {
  const restore: (() => void)[] = [];
  before(() => registerP2PPlugin(vjs));
  beforeEach(() => {
    const vhs = vjs.Vhs as unknown as { supportsNativeHls: boolean };
    const native = vhs.supportsNativeHls;
    vhs.supportsNativeHls = true;
    const proto = HTMLMediaElement.prototype;
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'canPlayType');
    const canPlayType = descriptor?.value as (this: HTMLMediaElement, type: string) => CanPlayTypeResult;
    Object.defineProperty(proto, 'canPlayType', {
      configurable: true,
      writable: true,
      value(this: HTMLMediaElement, type: string): CanPlayTypeResult {
        return /mpegurl/i.test(type) ? 'maybe' : canPlayType.call(this, type);
      },
    });
    restore.push(() => {
      vhs.supportsNativeHls = native;
      if (descriptor) Object.defineProperty(proto, 'canPlayType', descriptor);
    });
  });
  afterEach(() => {
    disposeAll();
    for (const fn of restore.splice(0)) fn();
  });

  // Safari's default: VHS does not override native HLS.
  const safariLike = { html5: { vhs: { overrideNative: false } } };

  it('reports native playback: P2P off, a warning, a p2pdisabled event, "P2P off" in the overlay', async function () {
    this.timeout(20000);
    const player = newPlayer(safariLike);
    const plugin = player.p2p({ core: testCore() });
    const reasons: unknown[] = [];
    plugin.on('p2pdisabled', (_e: never, data: { reason: string }) => reasons.push(data.reason));
    player.src({ src: manifest('vjs-native'), type: 'application/x-mpegURL' });
    await waitFor(() => reasons.length > 0, 10000, 'p2pdisabled');
    expect(reasons).to.deep.equal(['native-playback']);
    expect(plugin.stats().active).to.equal(false);
    expect(plugin.stats().inactiveReason).to.equal('native-playback');
    expect(player.el().querySelector('.vjs-p2p')?.textContent).to.equal('P2P off');
  });

  it('preferVhs: true makes VHS play instead, so P2P works', async function () {
    this.timeout(30000);
    const player = newPlayer({ ...safariLike, plugins: { p2p: { core: testCore(), preferVhs: true } } });
    player.src({ src: manifest('vjs-prefer'), type: 'application/x-mpegURL' });
    void player.play();
    await waitFor(() => player.currentTime() > 1, 20000, 'playback through VHS');
    expect(player.tech({ IWillNotUseThisInPlugins: true })?.vhs).to.not.equal(undefined);
    expect(player.p2p().stats().active).to.equal(true);
  });
});
