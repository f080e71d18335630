/** Per-connection and per-IP limits: connection counts and token-bucket message rates. */

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes one token; returns the balance after taking (negative = over the limit). Rate 0 = unlimited. */
  take(nowMs: number): number {
    if (this.ratePerSec === 0) return 1;
    const elapsed = nowMs - this.lastMs;
    if (elapsed > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSec) / 1000);
      this.lastMs = nowMs;
    }
    this.tokens -= 1;
    return this.tokens;
  }
}

export interface IpLimitConfig {
  maxConnectionsPerIp: number;
  ipMessagesPerSec: number;
  ipMessageBurst: number;
}

interface IpState {
  connections: number;
  bucket: TokenBucket;
}

/** Tracks connections and message budget per remote IP; state is freed when an IP's last socket closes. */
export class IpLimiter {
  private readonly ips = new Map<string, IpState>();

  constructor(private readonly cfg: IpLimitConfig) {}

  /** Registers a connection; false when the IP is at its connection limit. */
  tryConnect(ip: string, nowMs: number): boolean {
    let s = this.ips.get(ip);
    if (s && this.cfg.maxConnectionsPerIp > 0 && s.connections >= this.cfg.maxConnectionsPerIp) return false;
    if (!s) {
      s = { connections: 0, bucket: new TokenBucket(this.cfg.ipMessagesPerSec, this.cfg.ipMessageBurst, nowMs) };
      this.ips.set(ip, s);
    }
    s.connections++;
    return true;
  }

  disconnect(ip: string): void {
    const s = this.ips.get(ip);
    if (!s) return;
    s.connections--;
    if (s.connections <= 0) this.ips.delete(ip);
  }

  /** Takes one message from the IP's budget; returns the balance (negative = over the limit). */
  take(ip: string, nowMs: number): number {
    const s = this.ips.get(ip);
    return s ? s.bucket.take(nowMs) : 1;
  }

  get size(): number {
    return this.ips.size;
  }
}
