import type { SegmentStorage, StoredSegmentMeta } from './types.js';

/** Default store: a Map. Budget enforcement is the engine's job (see eviction.ts). */
export class MemoryStorage implements SegmentStorage {
  private readonly items = new Map<string, { meta: StoredSegmentMeta; data: Uint8Array }>();
  private bytes = 0;

  get(key: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.items.get(key)?.data);
  }

  put(meta: StoredSegmentMeta, data: Uint8Array): Promise<void> {
    this.remove(meta.key);
    this.items.set(meta.key, { meta: { ...meta, bytes: data.byteLength }, data });
    this.bytes += data.byteLength;
    return Promise.resolve();
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.items.has(key));
  }

  delete(key: string): Promise<void> {
    this.remove(key);
    return Promise.resolve();
  }

  list(): Promise<StoredSegmentMeta[]> {
    return Promise.resolve([...this.items.values()].map((i) => i.meta));
  }

  usage(): Promise<number> {
    return Promise.resolve(this.bytes);
  }

  destroy(): void {
    this.items.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const old = this.items.get(key);
    if (old) this.bytes -= old.data.byteLength;
    this.items.delete(key);
  }
}

/** Device-aware default budget: navigator.deviceMemory (GiB) → 64–256 MB; 128 MB when unknown. */
export function defaultStorageBudgetBytes(): number {
  const mem = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  const mb = mem === undefined ? 128 : mem <= 1 ? 64 : mem <= 4 ? 128 : 256;
  return mb * 1024 * 1024;
}
