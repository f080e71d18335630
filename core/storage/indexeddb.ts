import type { SegmentStorage, StoredSegmentMeta } from './types.js';

const META = 'meta';
const DATA = 'data';

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * Persistent SegmentStorage on IndexedDB: metadata and bytes in two object stores so `list()` never reads
 * segment bytes. Survives a page reload; the engine re-announces what it finds at start-up.
 */
export class IndexedDBStorage implements SegmentStorage {
  private readonly db: Promise<IDBDatabase>;

  constructor(dbName = 'swarmcast', factory: IDBFactory = indexedDB) {
    this.db = new Promise((resolve, reject) => {
      const req = factory.open(dbName, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(META);
        req.result.createObjectStore(DATA);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    });
  }

  private async tx(
    mode: IDBTransactionMode,
  ): Promise<{ meta: IDBObjectStore; data: IDBObjectStore; t: IDBTransaction }> {
    const t = (await this.db).transaction([META, DATA], mode);
    return { meta: t.objectStore(META), data: t.objectStore(DATA), t };
  }

  private static committed(t: IDBTransaction): Promise<void> {
    return new Promise((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const { data } = await this.tx('readonly');
    const v = (await done(data.get(key))) as ArrayBuffer | undefined;
    return v ? new Uint8Array(v) : undefined;
  }

  async put(meta: StoredSegmentMeta, bytes: Uint8Array): Promise<void> {
    const { meta: m, data, t } = await this.tx('readwrite');
    m.put({ ...meta, bytes: bytes.byteLength }, meta.key);
    data.put(bytes.slice().buffer, meta.key);
    await IndexedDBStorage.committed(t);
  }

  async has(key: string): Promise<boolean> {
    const { meta } = await this.tx('readonly');
    return (await done(meta.count(key))) > 0;
  }

  async delete(key: string): Promise<void> {
    const { meta, data, t } = await this.tx('readwrite');
    meta.delete(key);
    data.delete(key);
    await IndexedDBStorage.committed(t);
  }

  async list(): Promise<StoredSegmentMeta[]> {
    const { meta } = await this.tx('readonly');
    return (await done(meta.getAll())) as StoredSegmentMeta[];
  }

  async usage(): Promise<number> {
    return (await this.list()).reduce((n, m) => n + m.bytes, 0);
  }

  /** Closes the database (data stays). */
  destroy(): void {
    this.db.then((db) => db.close()).catch(() => undefined);
  }

  /** Deletes everything stored. */
  async clear(): Promise<void> {
    const { meta, data, t } = await this.tx('readwrite');
    meta.clear();
    data.clear();
    await IndexedDBStorage.committed(t);
  }
}
