/**
 * Token bucket shared by all peers of a swarm. The balance may go negative so a chunk larger than the bucket can still
 * be sent; the debt is then paid back by waiting, which keeps the long-run rate exact.
 */
export class UploadLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private bytesPerSec: number,
    private readonly now: () => number,
  ) {
    this.tokens = bytesPerSec;
    this.last = now();
  }

  setRate(bytesPerSec: number): void {
    this.refill();
    this.bytesPerSec = bytesPerSec;
    this.tokens = Math.min(this.tokens, bytesPerSec);
  }

  /** Takes `bytes` and returns 0, or returns how many ms to wait before trying again (nothing taken). */
  take(bytes: number): number {
    if (this.bytesPerSec <= 0) return 0;
    this.refill();
    if (this.tokens < 0) return Math.ceil((-this.tokens / this.bytesPerSec) * 1000) + 1;
    this.tokens -= bytes;
    return 0;
  }

  private refill(): void {
    const t = this.now();
    // One second of burst at most.
    this.tokens = Math.min(this.bytesPerSec, this.tokens + ((t - this.last) / 1000) * this.bytesPerSec);
    this.last = t;
  }
}
