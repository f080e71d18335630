/**
 * A viewer's have/loading/removed announcements as a timeline per segment. The real swarm sends each change to
 * every connected peer, which applies it on arrival (core/p2p/peer.ts `apply`: "loading" clears "have", "have"
 * clears "loading", "removed" clears both), over an ordered channel. So what peer B believes about A at time t is
 * exactly A's state at t − latency(A, B): reading the timeline at that instant replaces millions of message events.
 */
export type AnnouncedState = 'none' | 'loading' | 'have';

interface Change {
  atMs: number;
  state: AnnouncedState;
}

/** Changes older than this are folded away once superseded: longer than any simulated one-way latency. */
const KEEP_HISTORY_MS = 5_000;

export class AnnouncementLog {
  private readonly changes = new Map<string, Change[]>();
  /** When each id was first announced "loading" (the real peer's claim age counts from there: core/p2p/claims.ts). */
  private readonly firstLoading = new Map<string, number>();

  /** Our own current state (what the real Swarm's have/loading sets hold). */
  current(id: string): AnnouncedState {
    const list = this.changes.get(id);
    return list ? list[list.length - 1]!.state : 'none';
  }

  /** Swarm.announceHave / announceLoading / announceRemoved: duplicates send nothing, as in the real swarm. */
  set(id: string, state: AnnouncedState, nowMs: number): void {
    let list = this.changes.get(id);
    if (!list) {
      if (state === 'none') return;
      this.changes.set(id, (list = []));
    }
    const last = list[list.length - 1];
    if (last?.state === state) return;
    list.push({ atMs: nowMs, state });
    if (state === 'loading' && !this.firstLoading.has(id)) this.firstLoading.set(id, nowMs);
  }

  /** When `id` was first announced "loading", if ever (while its timeline is kept). */
  firstLoadingAt(id: string): number | undefined {
    return this.firstLoading.get(id);
  }

  /** The state a peer `latencyMs` away sees at `nowMs`. */
  seenAt(id: string, nowMs: number, latencyMs: number): AnnouncedState {
    const list = this.changes.get(id);
    if (!list) return 'none';
    const t = nowMs - latencyMs;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.atMs <= t) return list[i]!.state;
    return 'none';
  }

  /** Drops timelines every peer has seen end in 'none'. */
  prune(nowMs: number): void {
    for (const [id, list] of this.changes) {
      const last = list[list.length - 1]!;
      if (last.state === 'none' && nowMs - last.atMs > KEEP_HISTORY_MS) {
        this.changes.delete(id);
        this.firstLoading.delete(id);
      } else if (list.length > 1 && nowMs - last.atMs > KEEP_HISTORY_MS) list.splice(0, list.length - 1);
    }
  }
}
