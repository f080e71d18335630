/** What the engine keeps about a stored segment; enough to decide eviction without reading the bytes. */
export interface StoredSegmentMeta {
  /** Storage key: `storageKey(swarmKey, segmentId)`. */
  key: string;
  swarmKey: string;
  segmentId: string;
  startSec: number;
  durationSec: number;
  bytes: number;
  storedAtMs: number;
}

/**
 * Pluggable async segment store. It only stores; the engine decides what to evict (behind the playhead,
 * live window, TTL, byte budget). Whatever it holds is announced to peers and uploaded.
 */
export interface SegmentStorage {
  get(key: string): Promise<Uint8Array | undefined>;
  put(meta: StoredSegmentMeta, data: Uint8Array): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Metadata of everything stored (used at start-up to re-announce what a persistent store kept). */
  list(): Promise<StoredSegmentMeta[]>;
  /** Bytes stored. */
  usage(): Promise<number>;
  destroy?(): void;
}

export function storageKey(swarmKey: string, segmentId: string): string {
  return `${swarmKey}\n${segmentId}`;
}
