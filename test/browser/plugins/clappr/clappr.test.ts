/** Clappr plugin: the playback class built from the real Clappr, and its options. */
import { expect } from 'chai';
import Clappr from '@clappr/player';
import { VERSION, createSwarmcastClappr, type ClapprStatic } from '../../../../plugins/clappr/index.js';
import { resolveClapprOptions } from '../../../../plugins/clappr/options.js';
import { PLAYBACK_NAME } from '../../../../plugins/clappr/playback.js';

describe('Clappr plugin', () => {
  const Playback = createSwarmcastClappr(Clappr as ClapprStatic);

  it('is a Clappr.HLS playback with its own name, VERSION and the same canPlay', () => {
    expect(Playback.prototype).to.be.instanceOf((Clappr as ClapprStatic).HLS);
    expect((Playback.prototype as { name: string }).name).to.equal(PLAYBACK_NAME);
    expect(Playback.VERSION).to.equal(VERSION);
    expect(Playback.canPlay('https://cdn.example/live/master.m3u8?token=1')).to.equal(true);
    expect(Playback.canPlay('https://cdn.example/video.mp4')).to.equal(false);
  });

  it('rejects unknown and invalid options with a SettingsError', () => {
    expect(() => resolveClapprOptions({ swarmID: 'x' })).to.throw(/unknown option "swarmID"/);
    expect(() => resolveClapprOptions({ statsIntervalMs: -1 })).to.throw(/statsIntervalMs/);
    expect(() => resolveClapprOptions({ core: { trackerUrl: 'x' } })).to.throw();
    expect(() => resolveClapprOptions('p2p')).to.throw(/must be an object/);
    expect(resolveClapprOptions(undefined).statsIntervalMs).to.equal(1000);
  });

  it('a bad p2p option fails when the playback is created, before any hls.js instance', () => {
    expect(
      () => new (Playback as unknown as new (o: unknown) => unknown)({ p2p: { nope: 1 }, src: 'x.m3u8' }),
    ).to.throw(/unknown option "nope"/);
  });
});
