import { decode, T, type Message } from './codec.js';
import { IdBudgetError } from './id-list.js';

/**
 * What one peer may make us do, whatever it sends: bounded by what we keep, not by what it writes. A run-length id
 * list lets ten bytes name 65 536 ids, so the ids a message may expand to are capped by what the receiver keeps of a
 * peer (`maxAnnouncedIds`) and by a per-peer rate; every message that is not DATA for one of our own requests (which
 * our requests bound) costs a token, so a flood of announcements (each one re-plans the engine), requests (each one
 * reads the store) or junk is cut off. Exceeding a budget drops and bans the peer with a readable reason.
 */
export const WIRE_BUDGET = {
  /**
   * Segment ids (have + loading) kept per peer and swarm. 8192 two-second segments are 4.5 hours of one rendition; a
   * sender holding more announces only its newest ones (swarm.ts), so honest peers never reach it.
   */
  maxAnnouncedIds: 8192,
  /** Ids one message may expand to, its lists together: what we keep, plus as many removals. */
  maxIdsPerMessage: 16_384,
  /** Ids one peer's announcements may expand to: a burst (two full messages) and a sustained rate. */
  idBurst: 32_768,
  idsPerSec: 2048,
  /** Messages other than DATA for our own requests: a burst and a sustained rate (honest peers: a few per second). */
  messageBurst: 512,
  messagesPerSec: 64,
} as const;

/** Tokens refilled continuously up to a cap. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSec: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  available(): number {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSec);
    this.last = t;
    return Math.floor(this.tokens);
  }

  /** Takes `n` tokens if there are that many; false (nothing taken) otherwise. */
  take(n: number): boolean {
    if (this.available() < n) return false;
    this.tokens -= n;
    return true;
  }
}

/** A peer's two budgets, checked by Peer.receive. */
export class WireBudget {
  private readonly messages: TokenBucket;
  private readonly ids: TokenBucket;

  constructor(now: () => number) {
    this.messages = new TokenBucket(WIRE_BUDGET.messageBurst, WIRE_BUDGET.messagesPerSec, now);
    this.ids = new TokenBucket(WIRE_BUDGET.idBurst, WIRE_BUDGET.idsPerSec, now);
  }

  /**
   * Decodes a frame within the budgets: the message, or the reason to ban the peer (a flood, or an announcement
   * naming more ids than allowed, refused before they are built). Malformed frames throw ProtocolError.
   */
  decode(frame: Uint8Array, maxMessageBytes: number): Message | string {
    // DATA for our own requests is bounded by them; everything else costs a token.
    if (frame[0] !== T.DATA && !this.messages.take(1)) {
      return `message flood: over ${WIRE_BUDGET.messageBurst} messages at once or ${WIRE_BUDGET.messagesPerSec}/s`;
    }
    if (frame[0] !== T.ANNOUNCE_FULL && frame[0] !== T.ANNOUNCE_DELTA) return decode(frame, maxMessageBytes);
    const rate = this.ids.available();
    const byRate = rate < WIRE_BUDGET.maxIdsPerMessage;
    let m: Message;
    try {
      m = decode(frame, maxMessageBytes, byRate ? rate : WIRE_BUDGET.maxIdsPerMessage);
    } catch (e) {
      if (!(e instanceof IdBudgetError)) throw e;
      return byRate
        ? `announcement flood: over ${WIRE_BUDGET.idsPerSec} segment ids/s`
        : `announced over ${WIRE_BUDGET.maxAnnouncedIds} segment ids`;
    }
    if (m.t === T.ANNOUNCE_FULL || m.t === T.ANNOUNCE_DELTA) {
      const n = m.have.length + m.loading.length + (m.t === T.ANNOUNCE_DELTA ? m.removed.length : 0);
      this.ids.take(Math.min(n, this.ids.available()));
    }
    return m;
  }
}
