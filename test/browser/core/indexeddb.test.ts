/** IndexedDB storage survives a new instance (as after a page reload) and the engine shares what it holds. */
import { expect } from 'chai';
import { Engine } from '../../../core/engine.js';
import { IndexedDBStorage } from '../../../core/storage/indexeddb.js';
import { storageKey } from '../../../core/storage/types.js';
import { waitFor } from './helpers.js';

describe('core storage: IndexedDB', () => {
  const dbName = `swarmcast-test-${Math.random().toString(36).slice(2)}`;

  after(async () => {
    await new Promise((r) => {
      const req = indexedDB.deleteDatabase(dbName);
      req.onsuccess = req.onerror = req.onblocked = r;
    });
  });

  it('put, reopen in a new instance, get / list / usage / delete', async () => {
    const a = new IndexedDBStorage(dbName);
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const meta = {
      key: storageKey('swarm', 't10'),
      swarmKey: 'swarm',
      segmentId: 't10',
      startSec: 1,
      durationSec: 2,
      bytes: 5000,
      storedAtMs: 0,
    };
    await a.put(meta, data);
    a.destroy();
    const b = new IndexedDBStorage(dbName);
    expect(await b.get(meta.key)).to.deep.equal(data);
    expect(await b.has(meta.key)).to.equal(true);
    expect((await b.list()).map((m) => m.segmentId)).to.deep.equal(['t10']);
    expect(await b.usage()).to.equal(5000);
    await b.delete(meta.key);
    expect(await b.get(meta.key)).to.equal(undefined);
    b.destroy();
  });

  it('an engine on a reopened store serves what was stored before from cache', async () => {
    const storage = new IndexedDBStorage(dbName);
    const first = new Engine({ storage, p2pEnabled: false });
    first.setContent({ manifestUrl: 'https://example.invalid/m.m3u8' });
    const sid = first.addStream({ type: 'main', rendition: { bandwidth: 1 } });
    const key = first.getSwarmKey(sid) ?? '';
    const data = new Uint8Array([9, 8, 7]);
    await storage.put(
      {
        key: storageKey(key, 't0'),
        swarmKey: key,
        segmentId: 't0',
        startSec: 0,
        durationSec: 2,
        bytes: 3,
        storedAtMs: 0,
      },
      data,
    );
    first.destroy();
    const second = new Engine({ storage: new IndexedDBStorage(dbName), p2pEnabled: false });
    second.setContent({ manifestUrl: 'https://example.invalid/m.m3u8' });
    const s2 = second.addStream({ type: 'main', rendition: { bandwidth: 1 } });
    second.updateSegments(s2, [{ id: 't0', url: 'https://example.invalid/0.ts', startSec: 0, durationSec: 2 }], {
      live: false,
    });
    await waitFor(() => second.getStats().storedBytes === 3, 5000, 'the store to be indexed');
    const r = await second.loadSegment(s2, 't0');
    expect(r.source).to.equal('cache');
    expect(new Uint8Array(r.data)).to.deep.equal(data);
    second.destroy();
  });
});
