/**
 * VhsBinding against a stub VHS handler and a stub engine: which requests it takes (and which it leaves alone),
 * the bandwidth it presets for VHS's ABR, the active rendition, and cleanup.
 */
import { expect } from 'chai';
import { renditionKey, type LoadOptions, type LoadResult, type StreamDescriptor } from '../../../../core/index.js';
import { VhsBinding } from '../../../../integrations/vhs/binding.js';
import { FakeXhr } from '../../../../integrations/vhs/fake-xhr.js';
import {
  DEFAULT_VHS_P2P_OPTIONS,
  type EngineLike,
  type RequestHook,
  type VhsHandler,
  type VhsPlaylist,
  type XhrOptions,
} from '../../../../integrations/vhs/internal.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function setup(result: () => LoadResult, engineBytesPerSec: number | undefined) {
  const hooks = new Set<RequestHook>();
  const active: string[] = [];
  const loadOptions: LoadOptions[] = [];
  const playlist: VhsPlaylist = {
    endList: true,
    attributes: { BANDWIDTH: 84976, RESOLUTION: { width: 426, height: 240 }, CODECS: 'avc1.4d401e' },
    segments: [
      { resolvedUri: 'http://o/a/s0.ts', duration: 2 },
      { resolvedUri: 'http://o/a/s1.ts', duration: 2 },
    ],
  };
  const vhs: VhsHandler = {
    xhr: { onRequest: (h) => hooks.add(h), offRequest: (h) => hooks.delete(h), _requestCallbackSet: hooks },
    playlists: { main: { playlists: [playlist] }, media: () => playlist, on: () => undefined, off: () => undefined },
    bandwidth: 1e6,
  };
  // Like the engine's: the same rendition always gets the same id.
  const streams = new Map<string, string>();
  const engine = {
    setContent: () => undefined,
    addStream: (s: StreamDescriptor) => {
      const key = renditionKey(s.type, s.rendition);
      if (!streams.has(key)) streams.set(key, String(streams.size));
      return streams.get(key);
    },
    updateSegments: () => undefined,
    setActiveStream: (id: string) => active.push(id),
    updatePlayback: () => undefined,
    loadSegment: (_streamId: string, _segmentId: string, opts: LoadOptions) => {
      loadOptions.push(opts);
      return Promise.resolve(result());
    },
    estimateBandwidthBytesPerSec: () => engineBytesPerSec,
  } as unknown as EngineLike;
  const binding = new VhsBinding(
    vhs,
    engine,
    { ...DEFAULT_VHS_P2P_OPTIONS },
    {},
    { manifestUrl: 'http://o/m.m3u8', isDash: false },
  );
  const hook = (o: XhrOptions): XhrOptions => {
    let out = o;
    for (const h of hooks) out = h(out) ?? out;
    return out;
  };
  return { binding, hook, hooks, active, loadOptions };
}

async function complete(xhr: unknown): Promise<FakeXhr> {
  const fake = xhr as FakeXhr;
  fake.open('GET', 'u');
  fake.send();
  await sleep(10);
  return fake;
}

const data = (bytes: number, source: LoadResult['source'], elapsedMs: number): LoadResult => ({
  data: new ArrayBuffer(bytes),
  source,
  bytes,
  timing: { requestStartMs: 0, firstByteMs: 1, endMs: elapsedMs },
});

describe('VHS integration: VhsBinding', () => {
  it('takes described segments, leaves playlists, keys and unknown URLs untouched', () => {
    const { hook } = setup(() => data(1, 'http', 1), undefined);
    expect(hook({ uri: 'http://o/a/s1.ts', requestType: 'segment' }).xhr).to.be.instanceOf(FakeXhr);
    expect(hook({ uri: 'http://o/a/index.m3u8', requestType: 'hls-playlist' }).xhr).to.equal(undefined);
    expect(hook({ uri: 'http://o/key', requestType: 'segment-key' }).xhr).to.equal(undefined);
    expect(hook({ uri: 'http://o/other.ts', requestType: 'segment' }).xhr).to.equal(undefined);
  });

  it('peer / store deliveries: presets bandwidth to the engine HTTP estimate, not the peer speed', async () => {
    const { hook } = setup(() => data(100000, 'p2p', 5), 50000);
    const fake = await complete(hook({ uri: 'http://o/a/s0.ts', requestType: 'segment' }).xhr);
    expect(fake.bandwidth).to.equal(400000);
  });

  it('before any HTTP sample, falls back to VHS’s own estimate', async () => {
    const { hook } = setup(() => data(100000, 'cache', 1), undefined);
    const fake = await complete(hook({ uri: 'http://o/a/s0.ts', requestType: 'segment' }).xhr);
    expect(fake.bandwidth).to.equal(1e6);
  });

  it('a real HTTP transfer no faster than the estimate keeps VHS’s own measurement', async () => {
    const { hook } = setup(() => data(100000, 'http', 4000), 50000);
    const fake = await complete(hook({ uri: 'http://o/a/s0.ts', requestType: 'segment' }).xhr);
    expect(fake.bandwidth).to.equal(undefined);
  });

  it('tells the engine when VHS will time the request out (VHS then drops to its lowest rendition)', async () => {
    const { hook, loadOptions } = setup(() => data(1, 'http', 1), undefined);
    await complete(hook({ uri: 'http://o/a/s0.ts', requestType: 'segment', timeout: 3000 }).xhr);
    await complete(hook({ uri: 'http://o/a/s1.ts', requestType: 'segment' }).xhr);
    expect(loadOptions.map((o) => o.playerTimeoutMs)).to.deep.equal([3000, 0]);
  });

  it('marks the loading rendition active; destroy() removes the hook', () => {
    const { binding, hook, hooks, active } = setup(() => data(1, 'http', 1), undefined);
    hook({ uri: 'http://o/a/s0.ts', requestType: 'segment' });
    expect(active).to.deep.equal(['0']);
    binding.destroy();
    expect(hooks.size).to.equal(0);
  });
});
