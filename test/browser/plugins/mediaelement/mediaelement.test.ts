/** MediaElement plugin: feature registration restores the player; options. */
import { expect } from 'chai';
import Hls from 'hls.js';
import { registerMediaElementP2P } from '../../../../plugins/mediaelement/index.js';
import { resolveMediaElementOptions } from '../../../../plugins/mediaelement/options.js';

describe('MediaElement plugin', () => {
  it('adds buildp2p/cleanp2p and unregister() restores the prototype and the global Hls it set', () => {
    const previous = (): void => undefined;
    const Player = { prototype: { buildp2p: previous } as Record<string, unknown> };
    const g = globalThis as { Hls?: unknown };
    const hadHls = g.Hls;
    delete g.Hls;
    try {
      const reg = registerMediaElementP2P(Player, Hls);
      expect(registerMediaElementP2P(Player, Hls), 'idempotent').to.equal(reg);
      expect(g.Hls).to.equal(Hls);
      expect(Player.prototype.buildp2p).to.be.a('function').and.not.equal(previous);
      expect(Player.prototype.cleanp2p).to.be.a('function');
      reg.unregister();
      expect(Player.prototype.buildp2p).to.equal(previous);
      expect(Player.prototype.cleanp2p).to.equal(undefined);
      expect(g.Hls).to.equal(undefined);
    } finally {
      if (hadHls !== undefined) g.Hls = hadHls;
    }
  });

  it('rejects unknown options', () => {
    expect(() => resolveMediaElementOptions({ swarmid: 'x' })).to.throw(/unknown option "swarmid"/);
    expect(() => resolveMediaElementOptions(42)).to.throw(/must be an object/);
  });
});
