/**
 * Real hls.js playing real fixtures through the integration: what it tells the engine (streams, segment ids,
 * playback, active rendition), both ways in (withP2P subclass, hlsjsConfig + attach with rebinding), and that
 * ABR is not fooled by instant peer deliveries.
 */
import { expect } from 'chai';
import Hls from 'hls.js';
import { Engine, SettingsError } from '../../../../core/index.js';
import { HlsJsP2P, withP2P, type HlsWithP2P } from '../../../../integrations/hlsjs/index.js';
import { setThrottle, testEnv } from '../../env.js';
import { FakeEngine } from './fake-engine.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function manifest(client: string, path = 'hls-ts/master.m3u8'): string {
  return `${testEnv.originUrl}/c/${client}-${Math.random().toString(36).slice(2, 8)}/${path}`;
}

describe('hls.js integration: playback', () => {
  let video: HTMLVideoElement;
  const cleanup: (() => void)[] = [];

  beforeEach(() => {
    video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) fn();
    video.remove();
    await setThrottle({});
  });

  function track<T extends { destroy(): void }>(x: T): T {
    cleanup.push(() => x.destroy());
    return x;
  }

  it('withP2P(Hls): takes `p2p` out of the config and plays through the engine', async function () {
    this.timeout(40000);
    const engine = new FakeEngine();
    const HlsP2P = withP2P(Hls);
    const hls = track(new HlsP2P({ enableWorker: false, p2p: { engine, swarmId: 'contract-ts' } }));
    expect(hls.userConfig).to.not.have.property('p2p');
    expect(hls.p2p).to.be.instanceOf(HlsJsP2P);
    hls.loadSource(manifest('pb-ts'));
    hls.attachMedia(video);
    await new Promise<void>((r) => hls.once(Hls.Events.MANIFEST_PARSED, () => r()));
    await video.play();
    await waitFor(() => video.currentTime >= 4, 30000, 'playback to reach 4 s');

    expect(engine.contents.at(-1)!.swarmId).to.equal('contract-ts');
    // Streams are keyed by declared attributes: bandwidth, resolution and codecs for each level.
    expect(engine.streams.length).to.be.at.least(1);
    for (const s of engine.streams) {
      expect(s.type).to.equal('main');
      expect(s.rendition.bandwidth).to.be.a('number');
      expect(s.rendition.height).to.be.oneOf([240, 360, 480]);
      expect(s.rendition.codecs).to.be.a('string');
    }
    // VOD segment ids are EXTINF start times in tenths of a second.
    const ids = [...engine.segments.values()].flatMap((m) => [...m.keys()]);
    expect(ids).to.include('t0');
    expect(ids).to.include('t20');
    expect(engine.loads.length).to.be.at.least(2);
    expect(engine.active.length).to.be.at.least(1);
    const last = engine.playback.at(-1)!;
    expect(last.positionSec).to.be.greaterThan(0);
    expect(last.bufferedEndSec).to.be.at.least(last.positionSec);
    expect(last.rate).to.equal(1);

    hls.destroy();
    expect(engine.destroyed).to.equal(false); // a shared engine belongs to the caller
  });

  it('rejects unknown options with a readable message', () => {
    const HlsP2P = withP2P(Hls);
    expect(() => new HlsP2P({ p2p: { swarmid: 'x' } as never })).to.throw(SettingsError, /unknown option "swarmid"/);
  });

  it('applies opt-in live/buffer tuning only when asked and only where the user config is silent', () => {
    const HlsP2P = withP2P(Hls);
    const engine = new FakeEngine();
    const untouched = track(new HlsP2P({ p2p: { engine } }));
    expect(untouched.config.liveSyncDuration).to.equal(Hls.DefaultConfig.liveSyncDuration);
    expect(untouched.config.maxBufferLength).to.equal(Hls.DefaultConfig.maxBufferLength);

    const tuned = track(new HlsP2P({ p2p: { engine, liveSyncDurationSec: 20, maxBufferLengthSec: 12 } }));
    expect(tuned.config.liveSyncDuration).to.equal(20);
    expect(tuned.config.maxBufferLength).to.equal(12);
    expect(tuned.config.maxMaxBufferLength).to.equal(12);

    const userSet = track(
      new HlsP2P({
        liveSyncDurationCount: 5,
        maxBufferLength: 40,
        p2p: { engine, liveSyncDurationSec: 20, maxBufferLengthSec: 12 },
      }),
    );
    expect(userSet.config.liveSyncDuration).to.equal(Hls.DefaultConfig.liveSyncDuration);
    expect(userSet.config.liveSyncDurationCount).to.equal(5);
    expect(userSet.config.maxBufferLength).to.equal(40);
  });

  it('hlsjsConfig() + attach(getter): rebinds when the player recreates hls.js', async function () {
    this.timeout(40000);
    const engine = new FakeEngine();
    const p2p = track(new HlsJsP2P({ engine }));
    let current: Hls | undefined;
    p2p.attach(() => current);

    current = new Hls({ enableWorker: false, ...p2p.hlsjsConfig() });
    const first = current;
    first.loadSource(manifest('pb-rebind'));
    first.attachMedia(video);
    await waitFor(() => engine.loads.length >= 1, 20000, 'first instance to load a segment');
    expect(p2p.hls).to.equal(first);
    first.destroy();
    expect(p2p.hls).to.equal(undefined);

    const loadsBefore = engine.loads.length;
    current = new Hls({ enableWorker: false, ...p2p.hlsjsConfig() });
    const second = current;
    cleanup.push(() => second.destroy());
    second.loadSource(manifest('pb-rebind'));
    second.attachMedia(video);
    await waitFor(() => engine.loads.length > loadsBefore, 20000, 'second instance to load through the engine');
    expect(p2p.hls).to.equal(second);
    expect(engine.contents.length).to.be.at.least(2);
  });

  it('attach() installs the loaders on an instance created without them, wrapping its own fLoader', async function () {
    this.timeout(40000);
    const engine = new FakeEngine();
    const p2p = track(new HlsJsP2P({ engine }));
    const Base = Hls.DefaultConfig.loader;
    let userLoaderUsed = 0;
    class UserLoader extends Base {
      constructor(config: ConstructorParameters<typeof Base>[0]) {
        super(config);
        userLoaderUsed++;
      }
    }
    const hls = track(new Hls({ enableWorker: false, fLoader: UserLoader as never }));
    p2p.attach(hls);
    expect(hls.config.fLoader).to.equal(p2p.hlsjsConfig().fLoader);
    hls.loadSource(manifest('pb-wrap', 'cmaf/master.m3u8'));
    hls.attachMedia(video);
    await waitFor(() => engine.loads.length >= 2, 20000, 'segments through the engine');
    // The cmaf fixture has separate audio: both the video level and the audio track became streams.
    await waitFor(() => engine.streams.some((s) => s.type === 'audio'), 10000, 'an audio stream');
    // Init segments are described and go through the engine too.
    const inits = [...engine.segments.values()].flatMap((m) => [...m.values()]).filter((s) => s.isInit);
    expect(inits.length).to.be.at.least(1);
    expect(userLoaderUsed).to.equal(0);
  });

  it('plays with the real engine (HTTP only in a lone page) and reports its bytes', async function () {
    this.timeout(40000);
    const HlsP2P = withP2P(Hls);
    const hls: HlsWithP2P = track(
      new HlsP2P({ enableWorker: false, p2p: { core: { trackerUrls: [testEnv.trackerUrl] }, swarmId: 'pb-real' } }),
    );
    expect(hls.p2p.engine).to.be.instanceOf(Engine);
    hls.loadSource(manifest('pb-real'));
    hls.attachMedia(video);
    await new Promise<void>((r) => hls.once(Hls.Events.MANIFEST_PARSED, () => r()));
    await video.play();
    await waitFor(() => video.currentTime >= 4, 30000, 'playback to reach 4 s');
    const stats = hls.p2p.getStats();
    expect(stats.httpBytes + stats.cacheBytes).to.be.greaterThan(10000);
  });
});
