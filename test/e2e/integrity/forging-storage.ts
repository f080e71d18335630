/**
 * The attacker of the "forger in the swarm" e2e, built only from swarmcast's public API: a `storage` setting whose
 * stored copies are not what the engine handed it. Everything the engine announces and uploads comes from its
 * storage, so this viewer serves forged bytes to every peer that asks, while its own player got the real ones.
 * Runs in the browser.
 */
import { MemoryStorage, type SegmentStorage, type StoredSegmentMeta } from '../../../core/index.js';

/** Written over every byte of an `alter` forgery: any appended chunk holding forged bytes contains it. */
export const FORGERY_MARKER = 'SWARMCAST-FORGED';

/**
 * `alter`: the same size, every byte replaced by the marker (a replaced picture, as far as any check can tell).
 * `truncate`: the first half of the real bytes (a segment cut short; the bytes it has are genuine).
 */
export type ForgeryKind = 'alter' | 'truncate';

export function forge(kind: ForgeryKind, data: Uint8Array): Uint8Array {
  if (kind === 'truncate') return data.slice(0, Math.max(1, Math.floor(data.byteLength / 2)));
  const marker = new TextEncoder().encode(FORGERY_MARKER);
  const out = new Uint8Array(data.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = marker[i % marker.length] ?? 0;
  return out;
}

export class ForgingStorage implements SegmentStorage {
  private readonly inner = new MemoryStorage();
  forgedCopies = 0;

  constructor(private readonly kind: ForgeryKind) {}

  put(meta: StoredSegmentMeta, data: Uint8Array): Promise<void> {
    // Media segments only (init segments have no duration): the engine also serves this viewer's own player from
    // storage, and a player that cannot even parse its init segment stops loading, leaving nothing to serve.
    if (meta.durationSec === 0) return this.inner.put(meta, data);
    this.forgedCopies++;
    return this.inner.put(meta, forge(this.kind, data));
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }
  has(key: string): Promise<boolean> {
    return this.inner.has(key);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  list(): Promise<StoredSegmentMeta[]> {
    return this.inner.list();
  }
  usage(): Promise<number> {
    return this.inner.usage();
  }
  destroy(): void {
    this.inner.destroy();
  }
}

/** Whether `chunk` holds the marker anywhere (an `alter` forgery, whole or in part, after any remuxing of boxes). */
export function holdsMarker(chunk: Uint8Array): boolean {
  const m = new TextEncoder().encode(FORGERY_MARKER);
  const first = m[0];
  outer: for (
    let i = chunk.indexOf(first ?? 0);
    i >= 0 && i <= chunk.length - m.length;
    i = chunk.indexOf(first ?? 0, i + 1)
  ) {
    for (let j = 1; j < m.length; j++) if (chunk[i + j] !== m[j]) continue outer;
    return true;
  }
  return false;
}
