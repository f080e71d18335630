/**
 * Limits on TCP connections before they become WebSockets or send a plain HTTP request: each must do one or
 * the other within `upgradeTimeoutMs`, and one address may hold at most `maxPendingUpgradesPerIp` such
 * connections (`maxPendingUpgrades` over all). Plain HTTP requests (metrics, health) are then left to Node's
 * keep-alive and request timeouts, so a slow `/metrics` of a busy worker group is not cut off. Without this, sockets that never send a request lived ~90 s
 * each, and one address could hold the process at its file-descriptor limit.
 * Behind trusted proxies the per-address cap is not applied to the proxies themselves (everyone comes
 * through them); the timeout still is.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ipKey, type ClientIpResolver } from './client-ip.js';
import type { IpLimiter } from './limits.js';

export interface UpgradeGuardConfig {
  maxPendingUpgrades: number;
  upgradeTimeoutMs: number;
}

interface Pending {
  key: string;
  timer: NodeJS.Timeout;
}

export type PendingRefusal = 'pending_upgrades' | 'ip_pending_upgrades' | 'shutting_down';

export class UpgradeGuard {
  private readonly pending = new Map<Duplex, Pending>();
  private closing = false;

  constructor(
    private readonly cfg: UpgradeGuardConfig,
    private readonly limiter: IpLimiter,
    private readonly resolver: ClientIpResolver,
    private readonly onRefused: (reason: PendingRefusal) => void,
    private readonly onTimeout: () => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** A TCP connection was accepted (the HTTP server's `connection` event). */
  accept(socket: Socket): void {
    const remote = socket.remoteAddress ?? 'unknown';
    const refuse = (reason: PendingRefusal): void => {
      this.onRefused(reason);
      socket.destroy();
    };
    if (this.closing) {
      refuse('shutting_down');
      return;
    }
    if (this.cfg.maxPendingUpgrades > 0 && this.pending.size >= this.cfg.maxPendingUpgrades) {
      refuse('pending_upgrades');
      return;
    }
    const key = ipKey(remote);
    if (!this.limiter.tryOpen(key, !this.resolver.isProxy(remote))) {
      refuse('ip_pending_upgrades');
      return;
    }
    const timer = setTimeout(() => {
      if (!this.release(socket)) return;
      this.onTimeout();
      socket.destroy();
    }, this.cfg.upgradeTimeoutMs);
    timer.unref();
    this.pending.set(socket, { key, timer });
    socket.once('close', () => {
      this.release(socket);
    });
  }

  /** The connection is upgrading (or closed): it no longer counts as pending. False if it was not pending. */
  release(socket: Duplex): boolean {
    const p = this.pending.get(socket);
    if (!p) return false;
    this.pending.delete(socket);
    clearTimeout(p.timer);
    this.limiter.opened(p.key);
    return true;
  }

  /** Refuses new connections and closes the pending ones. */
  close(): void {
    this.closing = true;
    for (const socket of [...this.pending.keys()]) {
      this.release(socket);
      socket.destroy();
    }
  }
}
