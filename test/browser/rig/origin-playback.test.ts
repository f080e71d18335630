/**
 * The rig's origin is real: hls.js plays a fixture from it in Chromium, its byte meter accounts for exactly
 * what the player fetched, and its throttle slows a download down.
 */
import { expect } from 'chai';
import Hls from 'hls.js';
import { readMeter, resetMeter, setThrottle, testEnv } from '../env.js';

function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      } else if (performance.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, 50);
  });
}

describe('test rig: origin', () => {
  let video: HTMLVideoElement;
  let hls: Hls | undefined;

  beforeEach(() => {
    video = document.createElement('video');
    video.muted = true;
    document.body.appendChild(video);
  });

  afterEach(async () => {
    hls?.destroy();
    hls = undefined;
    video.remove();
    await setThrottle({});
  });

  it('serves the HLS TS fixture to hls.js, which plays it', async function () {
    this.timeout(30000);
    hls = new Hls({ enableWorker: false });
    hls.loadSource(`${testEnv.originUrl}/c/rig-play/hls-ts/master.m3u8`);
    hls.attachMedia(video);
    await new Promise<void>((resolve) =>
      hls!.once(Hls.Events.MANIFEST_PARSED, () => {
        resolve();
      }),
    );
    await video.play();
    await waitFor(() => video.currentTime >= 3, 20000, 'playback to reach 3 s');
    expect(video.currentTime).to.be.at.least(3);
    expect(video.videoWidth).to.be.greaterThan(0);
  });

  it('meters exactly the bytes hls.js loaded, per client and per path', async function () {
    this.timeout(30000);
    const client = `rig-meter-${Math.random().toString(36).slice(2)}`;
    const fragments = new Map<string, number>();
    let playlistBytes = 0;
    let lastActivity = performance.now();
    // Per-path counts include every client's requests; start from zero so only this player's count.
    await resetMeter();
    // A small buffer goal makes hls.js go idle by itself, so nothing is in flight when we compare.
    hls = new Hls({ enableWorker: false, maxBufferLength: 4, maxMaxBufferLength: 4, startLevel: 0 });
    hls.on(Hls.Events.MANIFEST_LOADED, (_event, data) => {
      playlistBytes += data.stats.loaded;
    });
    hls.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
      playlistBytes += data.stats.loaded;
    });
    hls.on(Hls.Events.FRAG_LOADING, () => {
      lastActivity = performance.now();
    });
    hls.on(Hls.Events.FRAG_LOADED, (_event, data) => {
      lastActivity = performance.now();
      fragments.set(new URL(data.frag.url).pathname.replace(`/c/${client}`, ''), data.frag.stats.loaded);
    });
    hls.loadSource(`${testEnv.originUrl}/c/${client}/hls-ts/master.m3u8`);
    hls.attachMedia(video);
    await waitFor(
      () => fragments.size >= 2 && performance.now() - lastActivity > 1500,
      20000,
      'hls.js to load two fragments and go idle',
    );

    const meter = await readMeter();
    let fragmentBytes = 0;
    for (const [path, bytes] of fragments) {
      expect(meter.byPath[path]?.bytes, `metered bytes of ${path}`).to.equal(bytes);
      fragmentBytes += bytes;
    }
    expect(meter.byClient[client]?.bytes, 'client total = fragments + playlists').to.equal(
      fragmentBytes + playlistBytes,
    );
  });

  it('slows a segment download down when the origin is throttled', async function () {
    this.timeout(30000);
    const url = `${testEnv.originUrl}/c/rig-throttle/hls-ts/480p/index.m3u8`;
    const playlist = await (await fetch(url)).text();
    const segment = playlist.split('\n').find((line) => line.length > 0 && !line.startsWith('#'));
    expect(segment, 'a segment URI in the playlist').to.be.a('string');
    const segmentUrl = new URL(segment!, url).href;

    const timeDownload = async (): Promise<{ ms: number; bytes: number }> => {
      const started = performance.now();
      const body = await (await fetch(segmentUrl, { cache: 'no-store' })).arrayBuffer();
      return { ms: performance.now() - started, bytes: body.byteLength };
    };
    const fast = await timeDownload();
    const rate = 16 * 1024;
    await setThrottle({ bandwidthBytesPerSec: rate });
    const slow = await timeDownload();

    expect(slow.bytes).to.equal(fast.bytes);
    const expectedMs = (slow.bytes / rate) * 1000;
    expect(slow.ms, 'throttled download time').to.be.at.least(0.7 * expectedMs);
    expect(slow.ms, 'throttled vs unthrottled').to.be.greaterThan(3 * fast.ms);
  });
});
