/**
 * The plugin's `liveDelaySec` on a real live stream (the origin's 20 s sliding window of 2 s segments): VHS must
 * start at the delayed point by itself, not load segments at its own live point first and seek back after.
 */
import { expect } from 'chai';
import { registerP2PPlugin } from '../../../../plugins/videojs/index.js';
import type { VhsHandler } from '../../../../integrations/vhs/index.js';
import { disposeAll, manifest, newPlayer, testCore, vjs, waitFor, type TestPlayer } from './helpers.js';

const DELAY_SEC = 8;
/** VHS's own live edge delay for this stream: three 2 s target durations. */
const VHS_OWN_DELAY_SEC = 6;

const vhsOf = (player: TestPlayer): VhsHandler | undefined =>
  (player as unknown as { tech(o: unknown): { vhs?: VhsHandler } }).tech({ IWillNotUseThisInPlugins: true }).vhs;

describe('Video.js plugin: liveDelaySec', () => {
  before(() => registerP2PPlugin(vjs));
  afterEach(() => disposeAll());

  it('VHS loads its first live segments at the delayed point, with no detour past it', async function () {
    this.timeout(40000);
    // Live media sequence numbers (`?live=N`) of the segments VHS asks for, in order.
    const sequence: number[] = [];
    const hook = (o: { uri?: string; requestType?: string }): typeof o => {
      const n = /[?&]live=(\d+)/.exec(o.uri ?? '')?.[1];
      if (o.requestType === 'segment' && n !== undefined) sequence.push(Number(n));
      return o;
    };
    vjs.Vhs.xhr.onRequest(hook);
    try {
      const player = newPlayer();
      player.p2p({ core: testCore(), overlay: false, liveDelaySec: DELAY_SEC });
      player.src({ src: manifest('vjs-live-delay', 'live/hls-ts/master.m3u8'), type: 'application/x-mpegURL' });
      void player.play();
      await waitFor(() => sequence.length >= 4 && player.currentTime() > 0, 30000, 'four segments and playback');
      const media = vhsOf(player)?.playlists?.media();
      expect(media?.serverControl?.holdBack).to.equal(VHS_OWN_DELAY_SEC + DELAY_SEC);
      // Seeking back after the first frame loaded two segments at VHS's own live point first (12, 13, then 4, …).
      for (let i = 1; i < sequence.length; i++)
        expect(sequence[i], `segment ${i} of ${sequence.join(', ')}`).to.be.at.least(sequence[i - 1] ?? 0);
      const seekable = player.seekable();
      const end = seekable.end(seekable.length - 1);
      expect(end - player.currentTime(), 'starts at the end of the (delayed) seekable range').to.be.below(2.5);
    } finally {
      vjs.Vhs.xhr.offRequest(hook);
    }
  });

  it('dispose() takes the delay back off VHS', async function () {
    this.timeout(40000);
    const player = newPlayer();
    player.p2p({ core: testCore(), overlay: false, liveDelaySec: DELAY_SEC });
    player.src({ src: manifest('vjs-live-undo', 'live/hls-ts/master.m3u8'), type: 'application/x-mpegURL' });
    void player.play();
    const holdBack = (): number | undefined => vhsOf(player)?.playlists?.media()?.serverControl?.holdBack;
    await waitFor(() => holdBack() !== undefined, 30000, 'the delay to be set');
    player.p2p().dispose();
    expect(holdBack()).to.equal(undefined);
  });
});
