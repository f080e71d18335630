/**
 * Real Shaka playing real fixtures through the integration: what it tells the engine (swarm keys shared with the
 * hls.js integration, segment ids incl. SegmentBase byte ranges), options validation, and the scheme-plugin
 * contract pieces (ABR timing, abort → OPERATION_ABORTED, HLS media sequence parsing).
 */
import { expect } from 'chai';
import Hls from 'hls.js';
import shakaModule from 'shaka-player';
import {
  Engine,
  SettingsError,
  type LoadResult,
  type SegmentDescriptor,
  type SegmentListOptions,
} from '../../../../core/index.js';
import { withP2P } from '../../../../integrations/hlsjs/index.js';
import { HlsSequenceMap } from '../../../../integrations/shaka/hls-sequence.js';
import { attach, type EngineLike, type ShakaNamespace } from '../../../../integrations/shaka/index.js';
import { abrTiming } from '../../../../integrations/shaka/serve.js';
import { serveFromEngine } from '../../../../integrations/shaka/serve.js';
import { testEnv } from '../../env.js';

const shaka = ((shakaModule as { default?: ShakaNamespace }).default ?? shakaModule) as ShakaNamespace;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function manifest(path: string): string {
  return `${testEnv.originUrl}/c/shaka-${Math.random().toString(36).slice(2, 8)}/${path}`;
}

/** A real engine without peers that records what the integration describes, by swarm key. */
class RecordingEngine extends Engine {
  readonly segments = new Map<string, Map<string, SegmentDescriptor>>();
  constructor() {
    super({ p2pEnabled: false });
  }
  override updateSegments(streamId: string, list: readonly SegmentDescriptor[], o: SegmentListOptions): void {
    const key = this.getSwarmKey(streamId) ?? '?';
    const known = this.segments.get(key) ?? new Map<string, SegmentDescriptor>();
    for (const s of list) known.set(s.id, s);
    this.segments.set(key, known);
    super.updateSegments(streamId, list, o);
  }
}

describe('Shaka integration', () => {
  const cleanup: (() => unknown)[] = [];
  let video: HTMLVideoElement;

  beforeEach(() => {
    video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    video.remove();
  });

  async function play(path: string, engine: EngineLike): Promise<shakaModule.default.Player> {
    const player = new shaka.Player();
    cleanup.push(() => player.destroy());
    const p2p = attach(player, { shaka, engine, swarmId: 'test' });
    cleanup.push(() => p2p.destroy());
    await player.attach(video);
    await player.load(manifest(path));
    await video.play();
    return player;
  }

  it('rejects unknown options and a missing shaka namespace with readable SettingsErrors', () => {
    const player = new shaka.Player();
    cleanup.push(() => player.destroy());
    expect(() => attach(player, { shaka, bogus: 1 } as never)).to.throw(SettingsError, /unknown option "bogus"/);
    expect(() => attach(player, { shaka, segmentListRefreshMs: 5 })).to.throw(
      SettingsError,
      /from 100 to 60000, got 5/,
    );
    expect(() => attach(player, {})).to.throw(SettingsError, /no shaka-player namespace/);
  });

  it('HLS fMP4: same swarm keys and segment ids as the hls.js integration', async function () {
    this.timeout(40000);
    const fromShaka = new RecordingEngine();
    cleanup.push(() => fromShaka.destroy());
    await play('cmaf/master.m3u8', fromShaka);
    await waitFor(() => video.currentTime > 3, 20000, 'Shaka playback');

    const fromHls = new RecordingEngine();
    cleanup.push(() => fromHls.destroy());
    const HlsP2P = withP2P(Hls);
    const hls = new HlsP2P({ p2p: { engine: fromHls, swarmId: 'test' } });
    cleanup.push(() => hls.destroy());
    const other = document.createElement('video');
    other.muted = true;
    cleanup.push(() => other.remove());
    hls.loadSource(manifest('cmaf/master.m3u8'));
    hls.attachMedia(other);
    await waitFor(() => fromHls.segments.size >= 2, 20000, 'hls.js playlists');

    const shared = [...fromShaka.segments.keys()].filter((k) => fromHls.segments.has(k));
    // The video rendition Shaka plays and the audio rendition must both be swarms hls.js viewers join too.
    expect(
      shared.some((k) => k.endsWith('|a;len')),
      `audio: ${[...fromShaka.segments.keys()].join(' ')}`,
    ).to.equal(true);
    expect(
      shared.some((k) => k.includes('|v;b')),
      `video: ${[...fromHls.segments.keys()].join(' ')}`,
    ).to.equal(true);
    for (const key of shared) {
      const media = (m: Map<string, SegmentDescriptor> | undefined): string[] =>
        [...(m?.values() ?? [])].filter((s) => !s.isInit).map((s) => s.id);
      expect(media(fromShaka.segments.get(key))).to.deep.equal(media(fromHls.segments.get(key)), key);
    }
  });

  it('DASH SegmentBase: segments from the sidx, addressed by byte range, served by the engine', async function () {
    this.timeout(40000);
    const engine = new RecordingEngine();
    cleanup.push(() => engine.destroy());
    const loaded: string[] = [];
    engine.on('segment-loaded', (e) => loaded.push(e.segmentId));
    await play('single/manifest.mpd', engine);
    await waitFor(() => video.currentTime > 3, 20000, 'playback');
    const video480 = [...engine.segments.entries()].find(([k]) => k.includes('r854x480'))?.[1];
    const ids = [...(video480?.values() ?? [])].filter((s) => !s.isInit).map((s) => s.id);
    expect(ids.length).to.equal(30);
    for (const id of ids) expect(id).to.match(/^t\d+@\d+-\d+$/);
    expect(loaded.some((id) => /^t\d+@/.test(id))).to.equal(true);
    expect(loaded.some((id) => id.startsWith('i'))).to.equal(true); // init segment (byte range 0-828)
  });

  it('HLS live: segment ids are media sequence numbers, the list follows the live window', async function () {
    this.timeout(40000);
    const engine = new RecordingEngine();
    cleanup.push(() => engine.destroy());
    const loaded: string[] = [];
    engine.on('segment-loaded', (e) => loaded.push(e.segmentId));
    await play('live/cmaf/master.m3u8', engine);
    await waitFor(() => loaded.filter((id) => id.startsWith('s')).length >= 4, 30000, 'live segments via the engine');
    const video = [...engine.segments.entries()].find(([k]) => k.includes('|v;b'))?.[1];
    const ids = [...(video?.values() ?? [])].filter((s) => !s.isInit).map((s) => s.id);
    expect(ids.length).to.be.greaterThan(3);
    for (const id of ids) expect(id).to.match(/^s\d+$/);
  });

  it('DASH live: the engine gets the live window from the segment index, ids = start times', async function () {
    this.timeout(40000);
    const engine = new RecordingEngine();
    cleanup.push(() => engine.destroy());
    const lists: number[] = [];
    const original = engine.updateSegments.bind(engine);
    engine.updateSegments = (id, list, o) => {
      if (o.live) lists.push(list.filter((s) => !s.isInit).length);
      original(id, list, o);
    };
    await play('live/cmaf/manifest.mpd', engine);
    await waitFor(() => video.currentTime > 0 && lists.length > 4, 30000, 'live lists');
    expect(Math.max(...lists), `live list sizes ${lists.join(',')}`).to.be.greaterThan(5);
  });

  it('ABR timing: peer and cache deliveries are reported at the HTTP estimate, slow HTTP as measured', () => {
    const result = (source: LoadResult['source'], bytes: number, ms: number): LoadResult => ({
      data: new ArrayBuffer(0),
      source,
      bytes,
      timing: { requestStartMs: 0, firstByteMs: 1, endMs: ms },
    });
    expect(abrTiming(result('p2p', 100000, 5), 50000)).to.deep.equal({ timeMs: 2000 });
    expect(abrTiming(result('cache', 100000, 0), 50000)).to.deep.equal({ timeMs: 2000 });
    expect(abrTiming(result('http', 100000, 4000), 50000)).to.deep.equal({ timeMs: 4000 }); // slower: real
    expect(abrTiming(result('http', 100000, 100), 50000)).to.deep.equal({ timeMs: 2000 }); // joined a prefetch
    expect(abrTiming(result('p2p', 100000, 5), undefined)).to.deep.equal({ fromCache: true });
  });

  it('abort rejects at once with Shaka OPERATION_ABORTED and cancels the engine request', async () => {
    let signal: AbortSignal | undefined;
    // An engine that notices the abort late (or never): Shaka must not wait for it.
    const engine = {
      loadSegment: (_s: string, _id: string, o: { signal?: AbortSignal }) => {
        signal = o.signal;
        return new Promise<LoadResult>(() => undefined);
      },
    } as unknown as EngineLike;
    const request = shaka.net.NetworkingEngine.makeRequest(
      ['http://x/a'],
      shaka.net.NetworkingEngine.defaultRetryParameters(),
    );
    const op = serveFromEngine(
      shaka,
      engine,
      { streamId: '0', segmentId: 't0' },
      { uri: 'http://x/a', request, requestType: 1, fallback: () => shaka.util.AbortableOperation.aborted() },
      () => undefined,
    );
    await op.abort();
    const error = await op.promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(signal?.aborted).to.equal(true);
    expect((error as { code?: number }).code).to.equal(shaka.util.Error.Code.OPERATION_ABORTED);
  });

  it('HLS media sequence numbers are read from playlist text (plain and byte-range segments)', () => {
    const map = new HlsSequenceMap();
    map.addPlaylist(
      '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:41\n#EXTINF:2,\nseg.ts?live=41\n#EXTINF:2,\nseg.ts?live=42\n' +
        '#EXT-X-BYTERANGE:100@0\n#EXTINF:2,\nv.mp4\n#EXT-X-BYTERANGE:50\n#EXTINF:2,\nv.mp4\n',
      'http://o/live/a/index.m3u8',
    );
    expect(map.get('http://o/live/a/seg.ts?live=41')).to.equal(41);
    expect(map.get('http://o/live/a/seg.ts?live=42')).to.equal(42);
    expect(map.get('http://o/live/a/v.mp4|0-100')).to.equal(43);
    expect(map.get('http://o/live/a/v.mp4|100-150')).to.equal(44);
  });
});
