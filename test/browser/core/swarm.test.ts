/**
 * Four engines in one page on the real origin and a real local tracker: one HTTP fetch feeds the swarm.
 */
import { expect } from 'chai';
import { readMeter, resetMeter } from '../env.js';
import type { SegmentDescriptor } from '../../../core/types.js';
import {
  HASH_LIST_PATH,
  fixtureSegments,
  originBytes,
  pathOf,
  peersOf,
  uniqueSwarm,
  viewer,
  waitFor,
  type Viewer,
} from './helpers.js';

describe('core engine: swarm over the real tracker', () => {
  let segments: SegmentDescriptor[];
  let viewers: Viewer[] = [];

  before(async () => {
    segments = await fixtureSegments();
  });

  afterEach(() => {
    for (const v of viewers) v.engine.destroy();
    viewers = [];
  });

  it('A loads a segment over HTTP; B, C and D get it over P2P, byte-identical; the origin served it once', async function () {
    this.timeout(100000);
    const swarmId = uniqueSwarm('four');
    viewers = ['A', 'B', 'C', 'D'].map((n) => viewer(n, swarmId, segments));
    const [a, ...others] = viewers as [Viewer, Viewer, Viewer, Viewer];
    // Every viewer with two peers or more: four such viewers form one connected swarm, even when one handshake of
    // the six was lost (a viewer with peers does not announce again for the tracker's whole interval).
    await waitFor(() => viewers.every((v) => peersOf(v) >= 2), 45000, 'a connected swarm of 4 viewers');
    await resetMeter();
    // 20 s ahead of every playhead: not urgent, so a peer that has it is used.
    const seg = segments[10]!;
    const p2pLoaded: string[] = [];
    for (const v of others) {
      v.engine.on('segment-loaded', (e) => {
        if (e.segmentId === seg.id && e.source === 'p2p') p2pLoaded.push(v.name);
      });
    }
    const first = await a.engine.loadSegment(a.streamId, seg.id);
    expect(first.source).to.equal('http');
    const expected = await originBytes(seg);
    expect(new Uint8Array(first.data)).to.deep.equal(expected);

    // Others' schedulers prefetch it from A (or from each other) as soon as A announces it.
    await waitFor(() => p2pLoaded.length === 3, 20000, 'B, C and D to prefetch over P2P');
    for (const v of others) {
      const r = await v.engine.loadSegment(v.streamId, seg.id);
      expect(r.source).to.equal('cache');
      expect(new Uint8Array(r.data)).to.deep.equal(expected);
      expect(v.engine.getStats().p2pBytes).to.equal(expected.byteLength);
    }
    const meter = await readMeter();
    const entry = meter.byPath[pathOf(seg)];
    expect(entry?.requests, 'origin requests for the segment').to.equal(2); // A + the reference fetch
    expect(entry?.bytes).to.equal(2 * expected.byteLength);
    // Integrity is on by default: each peer's one origin request is the hash list next to the manifest, which
    // vouches for the bytes it got from the swarm; none of them asked the origin for the segment itself.
    const list = meter.byPath[HASH_LIST_PATH];
    expect(list?.requests, 'hash-list requests: one per peer that received P2P bytes').to.equal(3);
    for (const name of ['B', 'C', 'D']) {
      expect(meter.byClient[name], `${name}'s origin traffic`).to.deep.equal({
        requests: 1,
        bytes: list!.bytes / 3,
      });
    }
    expect(a.engine.getStats().uploadedBytes).to.be.greaterThan(0);
  });
});
