/**
 * The `p2p` Video.js plugin on a real player (VHS, real origin): registration, options validation, playback
 * through the engine, stats / overlay, global VHS hooks kept working, and dispose leaving nothing behind.
 */
import { expect } from 'chai';
import { SettingsError } from '../../../../core/index.js';
import { VERSION, registerP2PPlugin } from '../../../../plugins/videojs/index.js';
import { PLUGIN_NAME } from '../../../../plugins/videojs/plugin.js';
import { disposeAll, manifest, newPlayer, testCore, typeOf, vjs, waitFor, type TestPlayer } from './helpers.js';

/**
 * Records the listeners `start()` adds to the player (the plugin registers its listeners synchronously while it
 * starts; Video.js's own components add theirs at other times) and forgets each one `player.off` removes.
 */
function trackListeners(player: TestPlayer, start: () => void): Map<string, Set<unknown>> {
  const live = new Map<string, Set<unknown>>();
  const on = player.on.bind(player);
  const off = player.off.bind(player);
  const types = (t: string | string[]): string[] => (Array.isArray(t) ? t : [t]);
  player.on = (type: string | string[], fn: (...a: never[]) => void): void => {
    for (const t of types(type)) (live.get(t) ?? live.set(t, new Set()).get(t))?.add(fn);
    on(type as string, fn);
  };
  // Video.js also calls off(target, type, fn) internally: record only the (type, fn) form, pass everything on.
  player.off = (...args: unknown[]): void => {
    if (args.length === 2) for (const t of types(args[0] as string | string[])) live.get(t)?.delete(args[1]);
    (off as (...a: unknown[]) => void)(...args);
  };
  try {
    start();
  } finally {
    player.on = on;
  }
  return live;
}

describe('Video.js plugin: player.p2p()', () => {
  before(() => {
    registerP2PPlugin(vjs);
  });
  afterEach(() => disposeAll());

  it('registers an advanced plugin named p2p with a VERSION, idempotently', () => {
    const Plugin = vjs.getPlugin(PLUGIN_NAME) as { VERSION?: string };
    expect(Plugin).to.be.a('function');
    expect(Plugin.VERSION).to.equal(VERSION);
    registerP2PPlugin(vjs);
    expect(vjs.getPlugin(PLUGIN_NAME)).to.equal(Plugin);
  });

  it('rejects unknown and mistyped options with readable messages, before hooking anything', () => {
    const player = newPlayer();
    expect(() => player.p2p({ bogus: 1 })).to.throw(SettingsError, /unknown option "bogus"/);
    expect(() => player.p2p({ overlay: 'yes' })).to.throw(SettingsError, /"overlay" must be a boolean/);
    expect(() => player.p2p({ core: { trackerUrl: [] } })).to.throw(SettingsError, /did you mean "trackerUrls"/);
    expect(player.usingPlugin(PLUGIN_NAME)).to.equal(false);
    expect(player.el().querySelector('.vjs-p2p')).to.equal(null);
  });

  it('the setup option plugins: { p2p } starts it; stats and overlay follow playback', async function () {
    this.timeout(40000);
    const player = newPlayer({ plugins: { p2p: { core: testCore(), swarmId: `pl-${Date.now()}` } } });
    expect(player.usingPlugin(PLUGIN_NAME)).to.equal(true);
    const url = manifest('vjs-plugin');
    player.src({ src: url, type: typeOf(url) });
    void player.play();
    await waitFor(() => player.currentTime() > 3, 30000, 'playback to reach 3 s');
    const stats = player.p2p().stats();
    expect(stats.active).to.equal(true);
    expect(stats.httpBytes).to.be.greaterThan(0);
    expect((stats.served.http ?? 0) + (stats.served.cache ?? 0)).to.be.greaterThan(0);
    const overlay = player.el().querySelector<HTMLElement>('.vjs-p2p');
    expect(overlay?.textContent).to.match(/^P2P \d+% · \d+ peers?$/);
  });

  it('overlay: false shows nothing', () => {
    const player = newPlayer();
    player.p2p({ overlay: false, core: testCore() });
    expect(player.el().querySelector('.vjs-p2p')).to.equal(null);
  });

  it('global VHS onRequest hooks of other plugins still run for a P2P player', async function () {
    this.timeout(40000);
    const seen: string[] = [];
    const globalHook = (o: { requestType?: string }): typeof o => {
      seen.push(o.requestType ?? '');
      return o;
    };
    vjs.Vhs.xhr.onRequest(globalHook);
    try {
      const player = newPlayer();
      player.p2p({ core: testCore() });
      const url = manifest('vjs-global');
      player.src({ src: url, type: typeOf(url) });
      void player.play();
      await waitFor(() => player.currentTime() > 2, 30000, 'playback to reach 2 s');
      expect(seen).to.include('segment');
      expect(player.p2p().stats().served.http ?? 0).to.be.greaterThan(0);
    } finally {
      vjs.Vhs.xhr.offRequest(globalHook);
    }
  });

  it('dispose() removes every hook and listener, the overlay and the engine; playback goes on over HTTP', async function () {
    this.timeout(40000);
    const player = newPlayer();
    let plugin: ReturnType<TestPlayer['p2p']> | undefined;
    const listeners = trackListeners(player, () => (plugin = player.p2p({ core: testCore() })));
    if (!plugin) throw new Error('plugin did not start');
    const url = manifest('vjs-dispose');
    player.src({ src: url, type: typeOf(url) });
    void player.play();
    await waitFor(() => player.currentTime() > 2, 30000, 'playback to reach 2 s');
    const hooks = player.tech({ IWillNotUseThisInPlugins: true })?.vhs?.xhr._requestCallbackSet;
    expect(hooks?.size).to.equal(1);
    plugin.dispose();
    expect(hooks?.size).to.equal(0);
    expect(player.usingPlugin(PLUGIN_NAME)).to.equal(false);
    expect(player.el().querySelector('.vjs-p2p')).to.equal(null);
    for (const [type, fns] of listeners) expect(fns.size, `listeners left on "${type}"`).to.equal(0);
    const t = player.currentTime();
    await waitFor(() => player.currentTime() > t + 3, 20000, 'playback to continue after dispose');
  });
});
