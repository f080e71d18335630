/**
 * Message-rate and connection limits per connection and per client IP.
 *
 * - An IP's state outlives its sockets until its bucket has refilled: closing and reopening sockets does
 *   not reset the budget (a fresh state is a full bucket, so dropping a full one loses nothing).
 * - The IP bucket is charged only for messages the connection's own bucket let through, so frames a
 *   flooder sends past its own limit (or after we closed it) cost its neighbours nothing.
 * - When the IP bucket is empty, a connection still gets its fair share (the IP's rate divided by its
 *   connections): NAT, campus and CGNAT neighbours of a flooder keep being served, and only the connection
 *   over its share is refused, and closed once far enough over. A share is earned from the connection's
 *   opening on (it starts empty), so a new socket brings no fresh allowance with it.
 */

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    nowMs: number,
    initialTokens = burst,
  ) {
    this.tokens = initialTokens;
    this.lastMs = nowMs;
  }

  /** Takes one token; returns the balance after taking (negative = over the limit). Rate 0 = unlimited. */
  take(nowMs: number): number {
    if (this.ratePerSec === 0) return 1;
    this.refill(nowMs, this.ratePerSec, this.burst);
    this.tokens -= 1;
    return this.tokens;
  }

  /** Balance now, without taking. */
  peek(nowMs: number): number {
    if (this.ratePerSec === 0) return 1;
    this.refill(nowMs, this.ratePerSec, this.burst);
    return this.tokens;
  }

  /** True when the bucket is full again: equivalent to a fresh one. */
  full(nowMs: number): boolean {
    return this.ratePerSec === 0 || this.peek(nowMs) >= this.burst;
  }

  /** Takes one token at a rate and burst given per call (a share that changes with the IP's connections). */
  takeAt(nowMs: number, ratePerSec: number, burst: number): number {
    this.refill(nowMs, ratePerSec, burst);
    this.tokens -= 1;
    return this.tokens;
  }

  private refill(nowMs: number, ratePerSec: number, burst: number): void {
    const elapsed = nowMs - this.lastMs;
    if (elapsed > 0) {
      this.tokens = Math.min(burst, this.tokens + (elapsed * ratePerSec) / 1000);
      this.lastMs = nowMs;
    } else if (this.tokens > burst) {
      this.tokens = burst;
    }
  }
}

export interface IpLimitConfig {
  maxConnectionsPerIp: number;
  maxPendingUpgradesPerIp: number;
  ipMessagesPerSec: number;
  ipMessageBurst: number;
  connectionMessagesPerSec: number;
  connectionMessageBurst: number;
}

interface IpState {
  /** Upgraded WebSocket connections counted against this IP. */
  connections: number;
  /** TCP connections from this address that have not upgraded yet. */
  pending: number;
  bucket: TokenBucket;
}

/** What a connection's message budget says about one message. */
export type Admission =
  | { ok: true }
  /** `debt`: how far the connection itself is over its limit or its share, in messages. */
  | { ok: false; debt: number };

/** A connection's own counters, kept by its owner and handed to `IpLimiter.admit`. */
export interface ConnBudget {
  readonly ipKey: string;
  readonly bucket: TokenBucket;
  /** The connection's use of its share of the IP budget. */
  readonly share: TokenBucket;
}

const ADMITTED: Admission = { ok: true };

export class IpLimiter {
  private readonly ips = new Map<string, IpState>();

  constructor(
    private readonly cfg: IpLimitConfig,
    private readonly now: () => number,
  ) {}

  private state(key: string): IpState {
    let s = this.ips.get(key);
    if (!s) {
      s = {
        connections: 0,
        pending: 0,
        bucket: new TokenBucket(this.cfg.ipMessagesPerSec, this.cfg.ipMessageBurst, this.now()),
      };
      this.ips.set(key, s);
    }
    return s;
  }

  /** A TCP connection arrived from `key`, not upgraded yet; false when that address has too many such. */
  tryOpen(key: string, capped: boolean): boolean {
    const s = this.state(key);
    if (capped && this.cfg.maxPendingUpgradesPerIp > 0 && s.pending >= this.cfg.maxPendingUpgradesPerIp) {
      this.release(key, s);
      return false;
    }
    s.pending++;
    return true;
  }

  /** A TCP connection from `key` upgraded or closed before upgrading. */
  opened(key: string): void {
    const s = this.ips.get(key);
    if (!s) return;
    s.pending = Math.max(0, s.pending - 1);
    this.release(key, s);
  }

  /** Registers a WebSocket connection; false when the IP is at its connection limit. */
  tryConnect(key: string): boolean {
    const s = this.state(key);
    if (this.cfg.maxConnectionsPerIp > 0 && s.connections >= this.cfg.maxConnectionsPerIp) {
      this.release(key, s);
      return false;
    }
    s.connections++;
    return true;
  }

  disconnect(key: string): void {
    const s = this.ips.get(key);
    if (!s) return;
    s.connections = Math.max(0, s.connections - 1);
    this.release(key, s);
  }

  /** Budgets for a new connection of `key`. */
  budget(key: string): ConnBudget {
    const now = this.now();
    return {
      ipKey: key,
      bucket: new TokenBucket(this.cfg.connectionMessagesPerSec, this.cfg.connectionMessageBurst, now),
      share: new TokenBucket(this.cfg.ipMessagesPerSec, this.cfg.ipMessageBurst, now, 0),
    };
  }

  /** Decides one message of a connection: its own bucket first, then its IP's (or its share of it). */
  admit(conn: ConnBudget): Admission {
    const now = this.now();
    const own = conn.bucket.take(now);
    if (own < 0) return { ok: false, debt: -own };
    if (this.cfg.ipMessagesPerSec === 0) return ADMITTED;
    const s = this.state(conn.ipKey);
    const n = Math.max(1, s.connections);
    const share = conn.share.takeAt(now, this.cfg.ipMessagesPerSec / n, Math.max(2, this.cfg.ipMessageBurst / n));
    if (s.bucket.peek(now) >= 1 || share >= 0) {
      s.bucket.take(now);
      return ADMITTED;
    }
    return { ok: false, debt: -share };
  }

  /** Drops states of addresses with no socket whose bucket has refilled; returns how many are kept. */
  sweep(): number {
    const now = this.now();
    for (const [key, s] of this.ips) {
      if (s.connections === 0 && s.pending === 0 && s.bucket.full(now)) this.ips.delete(key);
    }
    return this.ips.size;
  }

  private release(key: string, s: IpState): void {
    if (s.connections === 0 && s.pending === 0 && s.bucket.full(this.now())) this.ips.delete(key);
  }

  get size(): number {
    return this.ips.size;
  }
}
