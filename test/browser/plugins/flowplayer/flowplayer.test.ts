/** Flowplayer plugins: Flowplayer 7 engine-plugin registration and Flowplayer 3 plugin class, against doubles. */
import { expect } from 'chai';
import { SwarmcastFlowplayer, registerFlowplayer7, type Flowplayer7Api } from '../../../../plugins/flowplayer/index.js';
import { PLUGIN_NAME } from '../../../../plugins/flowplayer/fp3.js';

type Ext = (args: { hls: unknown; player: Flowplayer7Api }) => void;

function fakeFlowplayer7(): { fp: Parameters<typeof registerFlowplayer7>[0]; extensions: Ext[] } {
  const extensions: Ext[] = [];
  const engine = { plugin: (cb: Ext) => void extensions.push(cb), extensions };
  const fp = { engine: (name: string) => (name === 'hlsjs-lite' ? engine : undefined) };
  return { fp: fp as unknown as Parameters<typeof registerFlowplayer7>[0], extensions };
}

function fakeApi(conf: Record<string, unknown>): Flowplayer7Api & { triggered: string[] } {
  const triggered: string[] = [];
  return { conf, triggered, one: () => undefined, trigger: (e: string) => void triggered.push(e) };
}

describe('Flowplayer 7 plugin', () => {
  it('registers one hlsjs-lite engine plugin (idempotent); unregister() removes it', () => {
    const { fp, extensions } = fakeFlowplayer7();
    const reg = registerFlowplayer7(fp);
    expect(extensions).to.have.length(1);
    expect(registerFlowplayer7(fp), 'idempotent: one engine per player').to.equal(reg);
    expect(extensions).to.have.length(1);
    reg.unregister();
    expect(extensions).to.have.length(0);
    const again = registerFlowplayer7(fp);
    expect(again).to.not.equal(reg);
    again.unregister();
  });

  it('leaves players without p2p alone, and reports a bad p2p option without throwing (playback goes on)', () => {
    const { fp, extensions } = fakeFlowplayer7();
    const reg = registerFlowplayer7(fp);
    const ext = extensions[0];
    expect(ext).to.be.a('function');
    const plain = fakeApi({});
    ext?.({ hls: {}, player: plain });
    expect(plain.p2p).to.equal(undefined);
    const bad = fakeApi({ p2p: { colour: 'red' } });
    const error = console.error;
    console.error = () => undefined;
    try {
      expect(() => ext?.({ hls: {}, player: bad })).not.to.throw();
    } finally {
      console.error = error;
    }
    expect(bad.triggered).to.deep.equal(['swarmcast:error']);
    expect(bad.p2p).to.equal(undefined);
    reg.unregister();
  });
});

describe('Flowplayer 3 plugin', () => {
  it('is a plugin class (pluginName, init) that rejects unknown options at init', () => {
    expect(SwarmcastFlowplayer.pluginName).to.equal(PLUGIN_NAME);
    const player = { on: () => undefined, off: () => undefined, emit: () => undefined };
    expect(() => new SwarmcastFlowplayer().init({ p2p: { trackers: [] } }, null, player)).to.throw(/unknown option/);
  });

  it('p2p: false leaves the player alone', () => {
    const listened: string[] = [];
    const player = { on: (e: string) => void listened.push(e), off: () => undefined, emit: () => undefined };
    new SwarmcastFlowplayer().init({ p2p: false }, null, player);
    expect(listened).to.deep.equal([]);
  });
});
