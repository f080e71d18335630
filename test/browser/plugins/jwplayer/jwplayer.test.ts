/** JW provider units: source selection, JW-style events, registration semantics, options. */
import { expect } from 'chai';
import Hls from 'hls.js';
import {
  createSwarmcastProvider,
  getSwarmcastProvider,
  registerSwarmcastProvider,
} from '../../../../plugins/jwplayer/index.js';
import { Emitter } from '../../../../plugins/jwplayer/emitter.js';
import { PROVIDER_NAME, isHlsSource } from '../../../../plugins/jwplayer/options.js';
import { testEnv } from '../../env.js';

describe('JW Player provider', () => {
  it('takes HLS sources (type, mime type or .m3u8), never DRM or MP4', () => {
    expect(isHlsSource({ file: 'a/master.m3u8?x=1' }, true)).to.equal(true);
    expect(isHlsSource({ file: 'a/stream', type: 'hls' }, true)).to.equal(true);
    expect(isHlsSource({ file: 'a/stream', mimeType: 'application/vnd.apple.mpegurl' }, true)).to.equal(true);
    expect(isHlsSource({ file: 'a/master.m3u8', drm: {} }, true)).to.equal(false);
    expect(isHlsSource({ file: 'a/video.mp4', type: 'mp4' }, true)).to.equal(false);
    expect(isHlsSource({ file: 'a/master.m3u8' }, false)).to.equal(false);
  });

  it('static getName/supports work unbound, as JW stores and calls them', () => {
    const Provider = createSwarmcastProvider(Hls);
    const { supports, getName } = Provider;
    expect(getName().name).to.equal(PROVIDER_NAME);
    expect(supports({ file: 'x.m3u8' })).to.equal(Hls.isSupported());
  });

  it('registerSwarmcastProvider hands the class to jwplayer.api.registerProvider', () => {
    const registered: unknown[] = [];
    const Provider = registerSwarmcastProvider({ api: { registerProvider: (p) => void registered.push(p) } }, Hls);
    expect(registered).to.deep.equal([Provider]);
  });

  it("triggers type listeners and 'all' listeners with the type first (Backbone events, as JW's model listens)", () => {
    const e = new Emitter();
    const seen: unknown[] = [];
    e.on('all', (type, data) => void seen.push(['all', type, data]));
    e.once('time', (data) => void seen.push(['time', data]));
    e.trigger('time', 1);
    e.trigger('time', 2);
    expect(seen).to.deep.equal([
      ['time', 1],
      ['all', 'time', 1],
      ['all', 'time', 2],
    ]);
    e.off();
    e.trigger('time', 3);
    expect(seen).to.have.length(3);
  });

  it('rejects unknown p2p options at construction; destroy() unregisters and leaves the <video> detached', () => {
    const Provider = createSwarmcastProvider(Hls);
    expect(() => new Provider('p1', { p2p: { swarm: 'x' } })).to.throw(/unknown option "swarm"/);
    const provider = new Provider('p2', { p2p: { core: { trackerUrls: [testEnv.trackerUrl] } } });
    const container = document.createElement('div');
    document.body.appendChild(container);
    provider.setContainer(container);
    expect(provider.video.parentElement).to.equal(container);
    expect(getSwarmcastProvider('p2')).to.equal(provider);
    provider.destroy();
    expect(getSwarmcastProvider('p2')).to.equal(undefined);
    expect(provider.video.parentElement).to.equal(null);
    container.remove();
  });
});
