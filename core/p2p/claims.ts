import type { SegmentId } from './types.js';

/**
 * A `loading` claim older than this is not believed: the peer said it was fetching a segment and never turned it
 * into `have` (a neighbour waiting for that copy would drain its buffer). Counted from the first claim of an id, so
 * withdrawing and re-announcing does not renew it. An honest fetch lasts about a segment duration.
 */
export const LOADING_CLAIM_MAX_MS = 8000;

/** What one remote peer announced it has and is fetching, with the age of each `loading` claim. */
export class PeerClaims {
  private readonly haves = new Set<SegmentId>();
  /** Announced `loading` ids → when first claimed; `claimedAt` keeps that time across a withdrawal. */
  private readonly loadings = new Map<SegmentId, number>();
  private readonly claimedAt = new Map<SegmentId, number>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.haves.size + this.loadings.size;
  }
  has(id: SegmentId): boolean {
    return this.haves.has(id);
  }
  isLoading(id: SegmentId): boolean {
    const since = this.loadings.get(id);
    return since !== undefined && this.now() - since < LOADING_CLAIM_MAX_MS;
  }

  /** ANNOUNCE_FULL: forget the current sets (not the claim ages), then apply. */
  replace(have: string[], loading: string[]): void {
    this.haves.clear();
    this.loadings.clear();
    this.apply(have, loading, []);
  }

  /** ANNOUNCE_DELTA: removed, then loading, then have. */
  apply(have: string[], loading: string[], removed: string[]): void {
    for (const id of removed) {
      this.haves.delete(id);
      this.loadings.delete(id);
    }
    const now = this.now();
    for (const id of loading) {
      this.haves.delete(id);
      const since = this.claimedAt.get(id) ?? now;
      this.claimedAt.set(id, since);
      this.loadings.set(id, since);
    }
    for (const id of have) {
      this.loadings.delete(id);
      this.claimedAt.delete(id);
      this.haves.add(id);
    }
  }

  /** Drops `loading` claims past LOADING_CLAIM_MAX_MS; returns how many. */
  expire(): number {
    const now = this.now();
    let expired = 0;
    for (const [id, since] of this.loadings) {
      if (now - since < LOADING_CLAIM_MAX_MS) continue;
      this.loadings.delete(id);
      expired++;
    }
    for (const [id, since] of this.claimedAt) if (now - since >= 2 * LOADING_CLAIM_MAX_MS) this.claimedAt.delete(id);
    return expired;
  }
}
