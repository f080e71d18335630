import type { Clock } from './clock.js';
import type { EngineSettings } from './settings.js';
import { planEviction } from './storage/eviction.js';
import { MemoryStorage } from './storage/memory.js';
import { storageKey, type SegmentStorage, type StoredSegmentMeta } from './storage/types.js';
import type { SegmentDescriptor } from './types.js';

/**
 * The engine's view of storage: a synchronous index of what is stored (the scheduler needs `has` without
 * awaiting) in front of the async SegmentStorage, plus the eviction policy.
 */
export interface StoreHooks {
  /** A segment left the store (evicted, expired, failed to write): peers should stop asking us for it. */
  removed(swarmKey: string, segmentId: string): void;
  /** A persistent store held this at start-up: peers may ask for it. */
  restored(swarmKey: string, segmentId: string): void;
}

export class StoreKeeper {
  private readonly storage: SegmentStorage;
  private readonly owned: boolean;
  private readonly index = new Map<string, StoredSegmentMeta>();
  /** The same metas by swarm, then segment id: the scheduler asks per row every tick, without building keys. */
  private readonly bySwarm = new Map<string, Map<string, StoredSegmentMeta>>();
  private readonly liveIds = new Map<string, ReadonlySet<string>>();
  private bytes = 0;
  private lastEvictMs = -Infinity;

  constructor(
    /** Read at every use: budget and TTL follow the engine's current settings. */
    private readonly settings: () => Readonly<EngineSettings>,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void,
    private readonly hooks: StoreHooks,
  ) {
    const custom = settings().storage;
    this.owned = !custom;
    this.storage = custom ?? new MemoryStorage();
    if (custom) {
      custom.list().then(
        (metas) => {
          // Stored-at times are wall-clock independent: restart TTL from now (monotonic clocks reset on reload).
          const now = this.clock.now();
          const fresh = metas.filter((m) => !this.index.has(m.key)).map((m) => ({ ...m, storedAtMs: now }));
          for (const m of fresh) this.add(m);
          for (const m of fresh) this.hooks.restored(m.swarmKey, m.segmentId);
        },
        (e: unknown) => this.warn(`swarmcast: storage list failed: ${String(e)}`),
      );
    }
  }

  key(swarmKey: string, segmentId: string): string {
    return storageKey(swarmKey, segmentId);
  }

  has(swarmKey: string, segmentId: string): boolean {
    return this.bySwarm.get(swarmKey)?.has(segmentId) ?? false;
  }

  sizeOf(swarmKey: string, segmentId: string): number | undefined {
    return this.bySwarm.get(swarmKey)?.get(segmentId)?.bytes;
  }

  idsOf(swarmKey: string): readonly string[] {
    return [...(this.bySwarm.get(swarmKey)?.keys() ?? [])];
  }

  usage(): number {
    return this.bytes;
  }

  async read(swarmKey: string, segmentId: string): Promise<Uint8Array | undefined> {
    const key = storageKey(swarmKey, segmentId);
    if (!this.index.has(key)) return undefined;
    try {
      const data = await this.storage.get(key);
      if (!data) this.remove(key, false);
      return data;
    } catch (e) {
      this.warn(`swarmcast: storage read failed: ${String(e)}`);
      return undefined;
    }
  }

  put(swarmKey: string, seg: SegmentDescriptor, data: Uint8Array): void {
    const meta: StoredSegmentMeta = {
      key: storageKey(swarmKey, seg.id),
      swarmKey,
      segmentId: seg.id,
      startSec: seg.startSec,
      durationSec: seg.durationSec,
      bytes: data.byteLength,
      storedAtMs: this.clock.now(),
    };
    this.add(meta);
    this.storage.put(meta, data).catch((e: unknown) => {
      this.warn(`swarmcast: storage write failed: ${String(e)}`);
      this.remove(meta.key, true);
    });
    if (this.bytes > this.settings().storageBudgetBytes) this.lastEvictMs = -Infinity;
  }

  setLiveIds(swarmKey: string, ids: ReadonlySet<string>): void {
    this.liveIds.set(swarmKey, ids);
    this.lastEvictMs = -Infinity;
  }

  /** Runs the eviction policy at most once a second, or at once after the budget was exceeded. */
  maybeEvict(positionSecBySwarm: ReadonlyMap<string, number>): void {
    const now = this.clock.now();
    if (now - this.lastEvictMs < 1000) return;
    this.lastEvictMs = now;
    const keys = planEviction([...this.index.values()], {
      nowMs: now,
      budgetBytes: this.settings().storageBudgetBytes,
      ttlMs: this.settings().storageTtlMs,
      positionSecBySwarm,
      liveIdsBySwarm: this.liveIds,
    });
    for (const key of keys) this.remove(key, true);
  }

  destroy(): void {
    if (this.owned) this.storage.destroy?.();
    this.index.clear();
    this.bySwarm.clear();
  }

  private add(meta: StoredSegmentMeta): void {
    this.bytes -= this.index.get(meta.key)?.bytes ?? 0;
    this.index.set(meta.key, meta);
    let ofSwarm = this.bySwarm.get(meta.swarmKey);
    if (!ofSwarm) this.bySwarm.set(meta.swarmKey, (ofSwarm = new Map<string, StoredSegmentMeta>()));
    ofSwarm.set(meta.segmentId, meta);
    this.bytes += meta.bytes;
  }

  private remove(key: string, fromStorage: boolean): void {
    const m = this.index.get(key);
    if (!m) return;
    this.index.delete(key);
    this.bySwarm.get(m.swarmKey)?.delete(m.segmentId);
    this.bytes -= m.bytes;
    this.hooks.removed(m.swarmKey, m.segmentId);
    if (fromStorage) this.storage.delete(key).catch(() => undefined);
  }
}
