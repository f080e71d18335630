import type { SegmentStorage, StoredSegmentMeta } from '../../core/storage/types.js';

/** Shared, never written: every simulated segment's bytes are a view of it (sizes are real, contents are not). */
export const ZERO_BYTES = new Uint8Array(64 * 1024 * 1024);

/**
 * A viewer's segment storage as the engine's `storage` setting: it keeps sizes, not bytes, and tells the viewer's
 * books what leaves it (an undelivered segment evicted is downloaded bytes wasted).
 */
export class SimStorage implements SegmentStorage {
  readonly metas = new Map<string, StoredSegmentMeta>();

  constructor(private readonly onDelete: (meta: StoredSegmentMeta) => void) {}

  get(key: string): Promise<Uint8Array | undefined> {
    const m = this.metas.get(key);
    return Promise.resolve(m ? ZERO_BYTES.subarray(0, m.bytes) : undefined);
  }
  put(meta: StoredSegmentMeta): Promise<void> {
    this.metas.set(meta.key, meta);
    return Promise.resolve();
  }
  has(key: string): Promise<boolean> {
    return Promise.resolve(this.metas.has(key));
  }
  delete(key: string): Promise<void> {
    const m = this.metas.get(key);
    if (m) {
      this.metas.delete(key);
      this.onDelete(m);
    }
    return Promise.resolve();
  }
  list(): Promise<StoredSegmentMeta[]> {
    return Promise.resolve([]);
  }
  usage(): Promise<number> {
    let n = 0;
    for (const m of this.metas.values()) n += m.bytes;
    return Promise.resolve(n);
  }
}
