/**
 * Real dash.js playing real fixtures through the integration: options validation and attach() misuse, segment
 * requests answered by the engine (and by dash.js's own loader again after destroy), ABR fed only at the HTTP
 * speed when peers deliver instantly, and live lists that follow the DVR window on Shaka's segment grid.
 */
import { expect } from 'chai';
import { MediaPlayer } from 'dashjs';
import { Engine, SettingsError, type LoadOptions, type LoadResult } from '../../../../core/index.js';
import { attach } from '../../../../integrations/dashjs/index.js';
import { Cleanup, RecordingEngine, manifest, newVideo, playDashjs, playShaka, sleep, waitFor } from './helpers.js';

/** Live: play 18 s behind the edge, as the e2e suite and the sample do (P2P needs slack at the edge). */
const LIVE_SETTINGS = { streaming: { delay: { liveDelay: 18 } } };

describe('dash.js integration', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('rejects unknown options, a non-player and a late attach with readable SettingsErrors', () => {
    const player = MediaPlayer().create(); // never initialized: nothing to destroy
    expect(() => attach(player, { bogus: 1 } as never)).to.throw(SettingsError, /unknown option "bogus"/);
    expect(() => attach(player, { segmentListRefreshMs: 5 })).to.throw(SettingsError, /from 100 to 60000, got 5/);
    expect(() => attach(player, { core: { maxPeer: 3 } } as never)).to.throw(SettingsError, /"maxPeers"/);
    expect(() => attach({} as never)).to.throw(SettingsError, /needs a dash.js player/);
    const late = MediaPlayer().create();
    cleanup.add(() => late.destroy());
    late.initialize(newVideo(cleanup), manifest('cmaf/manifest.mpd'), false);
    expect(() => attach(late)).to.throw(SettingsError, /before player.initialize/);
  });

  it('media and init segments of video and audio are answered by the engine; after destroy, by dash.js', async function () {
    this.timeout(60000);
    const engine = new RecordingEngine();
    cleanup.add(() => engine.destroy());
    const loaded: string[] = [];
    engine.on('segment-loaded', (e) => loaded.push(`${engine.getSwarmKey(e.streamId) ?? '?'} ${e.segmentId}`));
    const { video, p2p } = playDashjs(cleanup, manifest('cmaf/manifest.mpd'), { engine, swarmId: 'test' });
    await waitFor(() => video.currentTime > 4, 30000, 'playback');
    const kinds = (part: string): string[] => loaded.filter((l) => l.includes(part)).map((l) => l.split(' ')[1] ?? '');
    expect(
      kinds('|v;').some((id) => id.startsWith('i')),
      loaded.join('\n'),
    ).to.equal(true);
    expect(kinds('|v;').filter((id) => id.startsWith('t')).length).to.be.greaterThan(1);
    expect(kinds('|a;').some((id) => id.startsWith('i'))).to.equal(true);
    expect(kinds('|a;').filter((id) => id.startsWith('t')).length).to.be.greaterThan(1);

    p2p.destroy();
    const before = loaded.length;
    const at = video.currentTime;
    await waitFor(() => video.currentTime > at + 6, 30000, 'playback after destroy');
    expect(loaded.length, 'the engine served a request after destroy()').to.equal(before);
    expect(p2p.player).to.equal(undefined);
  });

  it('a player attached again after destroy() is served by the new engine (the extension is kept)', async function () {
    this.timeout(60000);
    const first = new RecordingEngine();
    const second = new RecordingEngine();
    cleanup.add(() => first.destroy());
    cleanup.add(() => second.destroy());
    const { player, video, p2p } = playDashjs(cleanup, manifest('cmaf/manifest.mpd'), { engine: first });
    await waitFor(() => video.currentTime > 2, 30000, 'playback');
    p2p.destroy();
    let served = 0;
    second.on('segment-loaded', () => served++);
    const again = attach(player, { engine: second });
    cleanup.add(() => again.destroy());
    await waitFor(() => served > 1, 30000, 'segments from the second engine');
    expect(again.player).to.equal(player);
  });

  it('ABR: segments peers deliver instantly reach dash.js at the HTTP-only estimate, not at their own speed', async function () {
    this.timeout(60000);
    const HTTP_BYTES_PER_SEC = 50_000; // 400 kbit/s
    /** Every delivery looks like an instant P2P one, and HTTP is known to run at 400 kbit/s. */
    class InstantPeers extends Engine {
      constructor() {
        // The engine's own fetches carry a query: dash.js's Resource Timing lookup (by URL) must not find them.
        super({ p2pEnabled: false, httpRequestSetup: (r) => ({ ...r, url: `${r.url}?engine` }) });
      }
      override async loadSegment(streamId: string, segmentId: string, o?: LoadOptions): Promise<LoadResult> {
        const r = await super.loadSegment(streamId, segmentId, o);
        // A peer's round trips: dash.js ignores requests done within 10 ms as browser-cache hits.
        await sleep(40);
        return { ...r, source: 'p2p', timing: { requestStartMs: 0, firstByteMs: 1, endMs: 2 } };
      }
      override estimateBandwidthBytesPerSec(): number {
        return HTTP_BYTES_PER_SEC;
      }
    }
    const engine = new InstantPeers();
    cleanup.add(() => engine.destroy());
    const { player, video } = playDashjs(cleanup, manifest('cmaf/manifest.mpd'), { engine });
    const samples = (): number[] => player.getRawThroughputData('video').map((t) => Math.round(t.value));
    await waitFor(() => video.currentTime > 2 && samples().length > 3, 30000, 'dash.js throughput samples');
    // The samples are the estimate itself (rounded to kbit/s): instant deliveries would read as 10⁴–10⁶ kbit/s.
    for (const v of samples()) expect(v, samples().join(',')).to.be.within(390, 410);
    const kbps = player.getAverageThroughput('video');
    expect(kbps).to.be.within(300, 450);
  });

  it('live: lists follow the DVR window, on the same start-time grid as Shaka', async function () {
    this.timeout(60000);
    const fromDashjs = new RecordingEngine();
    cleanup.add(() => fromDashjs.destroy());
    const fromShaka = new RecordingEngine();
    cleanup.add(() => fromShaka.destroy());
    const url = manifest('live/cmaf/manifest.mpd');
    const { video } = playDashjs(cleanup, url, { engine: fromDashjs, swarmId: 'test' }, LIVE_SETTINGS);
    await playShaka(cleanup, url, fromShaka, undefined, { manifest: { defaultPresentationDelay: 18 } });
    await waitFor(() => video.currentTime > 0 && fromDashjs.lists.filter((l) => l.live).length > 4, 30000, 'lists');
    await sleep(2500); // a live list update at least (2 s segments)
    const live = fromDashjs.lists.filter((l) => l.live && l.key.includes('|v;'));
    expect(Math.max(...live.map((l) => l.media)), 'the DVR window is listed').to.be.greaterThan(5);
    const key = live.at(-1)?.key ?? '';
    expect(fromShaka.segments.has(key), `Shaka swarms: ${[...fromShaka.segments.keys()].join(' ')}`).to.equal(true);
    const ours = fromDashjs.ids(key);
    const theirs = new Set(fromShaka.ids(key));
    const shared = ours.filter((id) => theirs.has(id));
    expect(shared.length, `dash.js ${ours.join(',')} / Shaka ${[...theirs].join(',')}`).to.be.greaterThan(4);
    for (const id of ours) expect(id).to.match(/^t\d+$/);
  });
});
