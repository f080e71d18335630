/**
 * Drop-in mode (what the UMD bundle does on a WordPress page): every player gets `p2p`, whether created before
 * or after auto-attach started; config from `window.swarmcastConfig` or the script tag's `data-swarmcast`.
 */
import { expect } from 'chai';
import { autoAttach } from '../../../../plugins/videojs/index.js';
import { readPageConfig, runFromScriptTag } from '../../../../plugins/videojs/auto-attach.js';
import { PLUGIN_NAME } from '../../../../plugins/videojs/plugin.js';
import { disposeAll, manifest, newPlayer, testCore, typeOf, vjs, waitFor } from './helpers.js';

describe('Video.js plugin: auto-attach (drop-in)', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    disposeAll();
  });

  it('attaches to players created before and after it started, and they play through the engine', async function () {
    this.timeout(60000);
    const before = newPlayer();
    const handle = autoAttach(vjs, { core: testCore(), swarmId: `auto-${Date.now()}` });
    stops.push(() => handle.stop());
    const after = newPlayer();
    expect(before.usingPlugin(PLUGIN_NAME), 'player created before').to.equal(true);
    expect(after.usingPlugin(PLUGIN_NAME), 'player created after').to.equal(true);
    for (const p of [before, after]) {
      const url = manifest('vjs-auto');
      p.src({ src: url, type: typeOf(url) });
      void p.play();
    }
    await waitFor(() => before.currentTime() > 2 && after.currentTime() > 2, 40000, 'both players to play');
    for (const p of [before, after]) {
      const served = p.p2p().stats().served;
      expect((served.http ?? 0) + (served.p2p ?? 0) + (served.cache ?? 0)).to.be.greaterThan(0);
    }
    handle.stop();
    expect(newPlayer().usingPlugin(PLUGIN_NAME), 'player created after stop()').to.equal(false);
  });

  it('a player that already has p2p (setup option) is left alone', () => {
    const player = newPlayer({ plugins: { p2p: { core: testCore(), overlay: false } } });
    const first = player.p2p();
    const handle = autoAttach(vjs, { core: testCore() });
    stops.push(() => handle.stop());
    expect(player.p2p()).to.equal(first);
  });

  it('reads window.swarmcastConfig first, then data-swarmcast; false or nothing = no drop-in', () => {
    const script = document.createElement('script');
    script.setAttribute('data-swarmcast', '{"swarmId":"from-attr"}');
    expect(readPageConfig(script, { swarmcastConfig: { swarmId: 'from-window' } })).to.deep.equal({
      swarmId: 'from-window',
    });
    expect(readPageConfig(script, {})).to.deep.equal({ swarmId: 'from-attr' });
    expect(readPageConfig(document.createElement('script'), {})).to.equal(undefined);
    expect(readPageConfig(null, { swarmcastConfig: false })).to.equal(false);
  });

  it('runFromScriptTag: registers p2p, drops in with a config, and a bad config only warns', () => {
    const win: Parameters<typeof runFromScriptTag>[0] & { swarmcastAuto?: { stop(): void } } = {
      videojs: vjs,
      swarmcastConfig: { core: testCore(), overlay: false },
    };
    runFromScriptTag(win, null);
    expect(win.swarmcastAuto).to.not.equal(undefined);
    stops.push(() => win.swarmcastAuto?.stop());
    expect(newPlayer().usingPlugin(PLUGIN_NAME)).to.equal(true);

    const warnings: unknown[] = [];
    const log = vjs.log;
    const warn = log.warn.bind(log);
    log.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const bad: Parameters<typeof runFromScriptTag>[0] = { videojs: vjs, swarmcastConfig: { tracker: 'x' } };
      expect(() => runFromScriptTag(bad, null)).to.not.throw();
      expect(String(warnings[0])).to.match(/unknown option "tracker"/);
    } finally {
      log.warn = warn;
    }
  });
});
