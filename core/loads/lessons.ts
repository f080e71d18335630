import type { VerdictReason } from '../integrity/verdict.js';

/** Verdicts that say the origin cannot vouch for this content's peer copies (as opposed to a passing failure). */
const STRUCTURAL = new Set<VerdictReason>(['absent-list', 'not-listed', 'list-error', 'range-unsupported']);

/** How long a swarm is HTTP-only after such a verdict (a hash list published meanwhile is picked up after it). */
export const UNVERIFIABLE_PAUSE_MS = 30_000;

/**
 * What transfers taught, for the scheduler to read: segments not to prefetch for a while (a prefetch failed or
 * stalled), peers to leave alone for a moment (they answered BUSY), swarms whose peer copies the origin cannot
 * vouch for (HTTP only for a while). Entries expire as they are read.
 */
export class Lessons {
  /** Swarm key → segment id → time before which the segment is not prefetched again. */
  private readonly backoff = new Map<string, Map<string, number>>();
  /** Peer id → until when plan() sees it as busy. */
  private readonly resting = new Map<string, number>();
  /** Swarm key → until when peer copies are not fetched. */
  private readonly unverifiable = new Map<string, number>();

  backOff(swarmKey: string, segmentId: string, untilMs: number): void {
    let ofSwarm = this.backoff.get(swarmKey);
    if (!ofSwarm) this.backoff.set(swarmKey, (ofSwarm = new Map<string, number>()));
    ofSwarm.set(segmentId, untilMs);
  }

  rest(peerId: string, untilMs: number): void {
    this.resting.set(peerId, untilMs);
  }

  /** A check could not conclude: for reasons that hold for the whole content, stop taking peer copies a while. */
  cannotVerify(swarmKey: string, reason: VerdictReason | undefined, nowMs: number): void {
    if (reason && STRUCTURAL.has(reason)) this.unverifiable.set(swarmKey, nowMs + UNVERIFIABLE_PAUSE_MS);
  }

  /** Until when a segment is not prefetched; undefined when it may be. */
  backoffUntil(swarmKey: string, segmentId: string, nowMs: number): number | undefined {
    const ofSwarm = this.backoff.get(swarmKey);
    const until = ofSwarm?.get(segmentId);
    if (until === undefined) return undefined;
    if (until > nowMs) return until;
    ofSwarm?.delete(segmentId);
    return undefined;
  }

  /** Peers left alone after a BUSY answer, now. */
  restingPeers(nowMs: number): string[] {
    const out: string[] = [];
    for (const [peerId, until] of this.resting) {
      if (until > nowMs) out.push(peerId);
      else this.resting.delete(peerId);
    }
    return out;
  }

  /** Peer copies of this swarm's segments cannot be checked now: the scheduler uses HTTP only. */
  unverifiableNow(swarmKey: string, nowMs: number): boolean {
    return (this.unverifiable.get(swarmKey) ?? 0) > nowMs;
  }
}
