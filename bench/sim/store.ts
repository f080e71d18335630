import type { AnnouncementLog } from './announcements.js';
import type { SimWaiter } from './load.js';
import type { DeliverySource, RunCollector, ViewerStats } from './stats.js';
import type { SimSegment } from './stream.js';

interface Stored {
  segment: SimSegment;
  httpBytes: number;
  p2pBytes: number;
  delivered: boolean;
}

/**
 * A viewer's complete segments (core/store-keeper.ts without the bytes): what it serves to peers, hands to its
 * player, and books as delivered, wasted or held when it goes.
 */
export class SimStore {
  private readonly items = new Map<string, Stored>();
  private bytes = 0;

  constructor(
    private readonly stats: ViewerStats,
    private readonly log: AnnouncementLog,
    private readonly collector: RunCollector,
    private readonly budgetBytes: number,
  ) {}

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** StoreKeeper.put + swarm.announceHave. */
  put(segment: SimSegment, httpBytes: number, p2pBytes: number, nowMs: number): void {
    this.items.set(segment.id, { segment, httpBytes, p2pBytes, delivered: false });
    this.bytes += httpBytes + p2pBytes;
    this.log.set(segment.id, 'have', nowMs);
    this.evictOverBudget(nowMs);
  }

  /** Hands a stored segment to the player; its bytes count as delivered once. */
  deliver(id: string, waiter: SimWaiter, source: DeliverySource, nowMs: number): boolean {
    const stored = this.items.get(id);
    if (!stored) return false;
    if (!stored.delivered) {
      stored.delivered = true;
      const s = this.stats;
      const bytes = stored.httpBytes + stored.p2pBytes;
      s.deliveredBytes += bytes;
      s.deliveredHttpBytes += stored.httpBytes;
      s.deliveredP2PBytes += stored.p2pBytes;
      s.segmentsDelivered++;
      this.collector.delivered(id, bytes, stored.p2pBytes, source, nowMs - waiter.sinceMs, nowMs);
    }
    waiter.deliver(source);
    return true;
  }

  /** StoreKeeper.setLiveIds: segments that left the live playlist are removed (and announced so). */
  keepOnly(ids: ReadonlySet<string>, nowMs: number): void {
    for (const id of [...this.items.keys()]) if (!ids.has(id)) this.evict(id, nowMs);
  }

  private evict(id: string, nowMs: number): void {
    const stored = this.items.get(id);
    if (!stored) return;
    this.items.delete(id);
    const bytes = stored.httpBytes + stored.p2pBytes;
    this.bytes -= bytes;
    if (!stored.delivered) this.stats.wastedBytes += bytes;
    this.log.set(id, 'none', nowMs);
  }

  /** Storage budget (matters for long VODs): played segments go first, oldest first. */
  private evictOverBudget(nowMs: number): void {
    if (this.bytes <= this.budgetBytes) return;
    const played = [...this.items.values()]
      .filter((s) => s.delivered)
      .sort((a, b) => a.segment.index - b.segment.index);
    for (const s of played) {
      if (this.bytes <= this.budgetBytes) break;
      this.evict(s.segment.id, nowMs);
    }
  }

  /** The viewer goes: what the player never got is booked to `into`. */
  close(into: 'wastedBytes' | 'heldAtEndBytes'): void {
    for (const s of this.items.values()) if (!s.delivered) this.stats[into] += s.httpBytes + s.p2pBytes;
    this.items.clear();
    this.bytes = 0;
  }
}
