import type { PeerOffence } from './types.js';

/**
 * How a swarm remembers peers whose claims did not hold. Each offence is a strike, remembered for
 * `strikeMemoryMs`; the peer's have/loading claims are then not believed for `penaltyMs`, doubled for each strike
 * it already holds (15 s, 30 s); with `maxStrikes` held it is dropped and refused for the life of the swarm.
 * Records are kept by peer id, so reconnecting does not wipe them.
 */
export const CONDUCT = {
  penaltyMs: 15_000,
  strikeMemoryMs: 120_000,
  maxStrikes: 3,
} as const;

export interface Judgement {
  /** Until when (platform ms) the peer's claims are not believed. */
  untilMs: number;
  /** Strikes held, this one included. */
  strikes: number;
  /** The peer reached CONDUCT.maxStrikes: drop it. */
  drop: boolean;
  /** The offences held, oldest first, for the reason given when dropping. */
  offences: PeerOffence[];
}

export class Conduct {
  private readonly records = new Map<string, { at: number; offence: PeerOffence }[]>();
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  offend(peerId: string, offence: PeerOffence): Judgement {
    const now = this.now();
    const held = (this.records.get(peerId) ?? []).filter((s) => now - s.at < CONDUCT.strikeMemoryMs);
    held.push({ at: now, offence });
    this.records.set(peerId, held);
    const untilMs = now + CONDUCT.penaltyMs * 2 ** (held.length - 1);
    this.until.set(peerId, untilMs);
    return {
      untilMs,
      strikes: held.length,
      drop: held.length >= CONDUCT.maxStrikes,
      offences: held.map((s) => s.offence),
    };
  }

  /** Until when `peerId`'s claims are not believed (0: believed). */
  distrustedUntil(peerId: string): number {
    const u = this.until.get(peerId) ?? 0;
    return u > this.now() ? u : 0;
  }

  /** Forgets records with no strike left in memory, so a long swarm does not accumulate them. */
  prune(): void {
    const now = this.now();
    for (const [id, strikes] of this.records) {
      if (strikes.every((s) => now - s.at >= CONDUCT.strikeMemoryMs)) {
        this.records.delete(id);
        this.until.delete(id);
      }
    }
  }
}
