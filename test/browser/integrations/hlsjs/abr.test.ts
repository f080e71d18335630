/**
 * ABR is not fooled: with the origin throttled so that plain hls.js settles on the middle rendition, hls.js
 * whose segments "arrive instantly from peers" settles within one rendition of that choice, and its bandwidth
 * estimate stays near the real HTTP rate. The fake engine really downloads each segment through the throttle
 * (measuring HTTP like the real engine does) and then reports it as an instant peer delivery.
 */
import { expect } from 'chai';
import Hls from 'hls.js';
import { withP2P } from '../../../../integrations/hlsjs/index.js';
import { setThrottle, testEnv } from '../../env.js';
import { FakeEngine } from './fake-engine.js';

/** Bytes/s per connection: ≈ 230 kb/s, between the middle (139 kb/s) and top (184 kb/s) renditions' up-switch needs. */
const THROTTLE_BYTES_PER_SEC = 24000;
const FRAGMENTS = 14;

interface Run {
  levels: number[];
  estimateBps: number;
  levelCount: number;
}

async function runAbr(create: () => Hls, client: string): Promise<Run> {
  const video = document.createElement('video');
  video.muted = true;
  document.body.appendChild(video);
  const hls = create();
  const levels: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${levels.length} fragments loaded`)), 60000);
      hls.on(Hls.Events.FRAG_LOADED, (_e, data) => {
        if ((data.frag.type as string) !== 'main' || data.frag.sn === 'initSegment') return;
        levels.push(data.frag.level);
        if (levels.length >= FRAGMENTS) {
          clearTimeout(timer);
          resolve();
        }
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) reject(new Error(data.details));
      });
      hls.loadSource(`${testEnv.originUrl}/c/${client}/hls-ts/master.m3u8`);
      hls.attachMedia(video);
    });
    return { levels, estimateBps: hls.bandwidthEstimate, levelCount: hls.levels.length };
  } finally {
    hls.destroy();
    video.remove();
  }
}

/** The level most of the last five fragments were loaded at. */
function settled(levels: number[]): number {
  const tail = levels.slice(-5);
  const counts = new Map<number, number>();
  for (const l of tail) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

describe('hls.js integration: ABR with instant peer deliveries', () => {
  before(() => setThrottle({ bandwidthBytesPerSec: THROTTLE_BYTES_PER_SEC }));
  after(() => setThrottle({}));

  it('settles within one rendition of HTTP-only hls.js, not on the top one', async function () {
    this.timeout(150000);
    const id = Math.random().toString(36).slice(2, 8);
    const config = { enableWorker: false, startLevel: 0 };
    const httpOnly = await runAbr(() => new Hls(config), `abr-http-${id}`);

    const engine = new FakeEngine();
    engine.mode = 'instant-p2p';
    engine.measure = true;
    const HlsP2P = withP2P(Hls);
    const p2p = await runAbr(() => new HlsP2P({ ...config, p2p: { engine } }), `abr-p2p-${id}`);

    const top = httpOnly.levelCount - 1;
    const base = settled(httpOnly.levels);
    const withPeers = settled(p2p.levels);
    console.warn(
      `ABR: http-only levels ${httpOnly.levels.join('')} (est ${Math.round(httpOnly.estimateBps / 1000)} kb/s), ` +
        `p2p levels ${p2p.levels.join('')} (est ${Math.round(p2p.estimateBps / 1000)} kb/s)`,
    );
    expect(engine.loads.every((l) => l.source === 'p2p')).to.equal(true);
    expect(Math.abs(withPeers - base)).to.be.at.most(1);
    if (base < top) expect(withPeers).to.be.below(top);
    // The estimate stays in the range of the throttled HTTP rate (a naive loader reports megabits here).
    expect(p2p.estimateBps).to.be.below(THROTTLE_BYTES_PER_SEC * 8 * 2);
  });
});
