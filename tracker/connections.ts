/**
 * WebSocket gateway: accepts upgrades (origin, connection limits), validates and rate-limits messages,
 * enforces per-connection caps on what each connection is in now, pings sockets, closes idle ones and hands
 * valid requests to the router. Bad input gets an error reply (with `action`, and `info_hash` when it can be
 * read) or a closed socket; it never throws out of a handler.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { ClientIpResolver, ipKey } from './client-ip.js';
import type { TrackerConfig } from './config.js';
import { IpLimiter, type ConnBudget } from './limits.js';
import { Memberships, type MembershipRefusal } from './memberships.js';
import type { TrackerMetrics } from './metrics.js';
import { encodeError, isParseError, parseRequest, peekInfoHash } from './protocol.js';
import type { Router } from './router.js';
import type { SentKind } from './swarms.js';
import { UpgradeGuard } from './upgrade-guard.js';

interface Conn {
  id: number;
  ws: WebSocket;
  budget: ConnBudget;
  memberships: Memberships;
  /** Last announce or scrape (or the opening), on the tracker's clock. */
  activeAtMs: number;
  alive: boolean;
  /** We closed it: frames still read from it are ignored and cost nobody anything. */
  closing: boolean;
  /** Underlying TCP socket, corked while frames for it are batched within one event-loop turn. */
  socket: Duplex | null;
  corked: boolean;
}

const REFUSALS: Record<MembershipRefusal, string> = {
  swarms: 'too many swarms on this connection',
  peer_ids: 'too many peer_ids on this connection',
  swarm_peer_ids: 'too many peer_ids in this swarm on this connection',
};

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly conns = new Map<number, Conn>();
  private readonly ipLimiter: IpLimiter;
  private readonly resolver: ClientIpResolver;
  private readonly guard: UpgradeGuard;
  private readonly membershipTtlMs: number;
  private nextId = 1;
  private readonly pingTimer: NodeJS.Timeout;
  private closing = false;
  private readonly corked: Conn[] = [];
  private uncorkScheduled = false;
  private readonly uncorkAll = (): void => {
    this.uncorkScheduled = false;
    for (const c of this.corked) {
      c.corked = false;
      c.socket?.uncork();
    }
    this.corked.length = 0;
  };
  router: Router | null = null;

  constructor(
    private readonly cfg: TrackerConfig,
    private readonly metrics: TrackerMetrics,
    private readonly isAllowed: (infoHash: string) => boolean,
    private readonly now: () => number,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: cfg.maxMessageBytes,
      clientTracking: false,
    });
    this.ipLimiter = new IpLimiter(cfg, now);
    this.resolver = new ClientIpResolver({ hops: cfg.trustProxyHops, proxies: cfg.trustedProxies });
    this.guard = new UpgradeGuard(
      cfg,
      this.ipLimiter,
      this.resolver,
      (reason) => this.metrics.connectionsRejected.inc({ reason }),
      () => this.metrics.errors.inc({ reason: 'upgrade_timeout' }),
    );
    // A swarm owner drops a peer after this long without an announce; the sweep may take one period more.
    this.membershipTtlMs = cfg.intervalSec * 1000 * cfg.peerTimeoutIntervals + cfg.sweepIntervalMs;
    this.pingTimer = setInterval(() => {
      this.tick();
    }, cfg.pingIntervalMs);
    this.pingTimer.unref();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** TCP connections accepted that have not upgraded yet. */
  get pendingUpgrades(): number {
    return this.guard.size;
  }

  /** Client IPs whose limiter state is kept (connected, or recently over budget). */
  get trackedIps(): number {
    return this.ipLimiter.size;
  }

  /** Every TCP connection of the HTTP server, before it sends anything. */
  acceptTcp(socket: Socket): void {
    socket.on('error', () => undefined);
    this.guard.accept(socket);
  }

  /** A TCP connection sent a plain HTTP request: it is no longer one that never speaks. */
  httpRequest(socket: Duplex): void {
    this.guard.release(socket);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    this.guard.release(socket);
    const refuse = (code: number, text: string, reason: string): void => {
      this.metrics.connectionsRejected.inc({ reason });
      socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (this.closing) {
      refuse(503, 'Service Unavailable', 'shutting_down');
      return;
    }
    const origin = req.headers.origin;
    if (this.cfg.origins !== null && (origin === undefined || !this.cfg.origins.includes(origin))) {
      refuse(403, 'Forbidden', 'origin');
      return;
    }
    if (this.conns.size >= this.cfg.maxConnections) {
      refuse(503, 'Service Unavailable', 'max_connections');
      return;
    }
    const key = ipKey(this.resolver.resolve(req.socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for']));
    if (!this.ipLimiter.tryConnect(key)) {
      refuse(429, 'Too Many Requests', 'ip_connections');
      return;
    }
    let upgraded = false;
    socket.once('close', () => {
      if (!upgraded) this.ipLimiter.disconnect(key);
    });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      this.onConnection(ws, key);
    });
  }

  /** Writes a frame to a local connection; drops it if the socket is gone or too far behind. */
  deliver(connId: number, frame: string, kind: SentKind, receivedAtMs: number): void {
    const c = this.conns.get(connId);
    if (c?.ws.readyState !== WebSocket.OPEN) {
      this.metrics.dropped.inc({ reason: 'target_gone' });
      return;
    }
    if (c.ws.bufferedAmount > this.cfg.maxBufferedBytes) {
      this.metrics.dropped.inc({ reason: 'backpressure' });
      return;
    }
    // Frames to one socket within an event-loop turn go out in one writev instead of one syscall each.
    if (!c.corked && c.socket) {
      c.socket.cork();
      c.corked = true;
      this.corked.push(c);
      if (!this.uncorkScheduled) {
        this.uncorkScheduled = true;
        setImmediate(this.uncorkAll);
      }
    }
    c.ws.send(frame);
    this.metrics.sent.inc({ type: kind });
    if (kind === 'offer' || kind === 'answer') this.metrics.relayLatency.observe((nowMs() - receivedAtMs) / 1000);
  }

  /** Asks every client to go away, then terminates whatever is left after the grace period. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pingTimer);
    this.guard.close();
    const pending = [...this.conns.values()].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          c.ws.once('close', () => {
            resolve();
          });
          c.ws.close(1001, 'tracker shutting down');
        }),
    );
    const timer = setTimeout(() => {
      for (const c of this.conns.values()) c.ws.terminate();
    }, this.cfg.shutdownGraceMs);
    await Promise.all(pending);
    clearTimeout(timer);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, key: string): void {
    const conn: Conn = {
      id: this.nextId++,
      ws,
      budget: this.ipLimiter.budget(key),
      memberships: new Memberships(this.cfg, this.membershipTtlMs),
      activeAtMs: this.now(),
      alive: true,
      closing: false,
      socket: (ws as unknown as { _socket?: Duplex })._socket ?? null,
      corked: false,
    };
    this.conns.set(conn.id, conn);
    this.metrics.connectionsTotal.inc();
    ws.on('message', (data) => {
      try {
        this.onMessage(conn, data);
      } catch {
        // A handler bug must not take the process down; count it and keep serving.
        this.metrics.errors.inc({ reason: 'internal' });
      }
    });
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', () => {
      this.metrics.errors.inc({ reason: 'socket' });
    });
    ws.once('close', () => {
      this.conns.delete(conn.id);
      this.ipLimiter.disconnect(key);
      this.router?.closed(conn.id, conn.memberships.pairs());
    });
  }

  private reply(conn: Conn, frame: string, reason: string): void {
    this.metrics.errors.inc({ reason });
    this.deliver(conn.id, frame, 'error', 0);
  }

  private shut(conn: Conn, code: number, reason: string, metric: string): void {
    conn.closing = true;
    this.metrics.errors.inc({ reason: metric });
    conn.ws.close(code, reason);
  }

  private onMessage(conn: Conn, data: RawData): void {
    if (conn.closing) return;
    conn.alive = true;
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString()
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString()
        : data.toString();
    const admission = this.ipLimiter.admit(conn.budget);
    if (!admission.ok) {
      this.metrics.dropped.inc({ reason: 'rate_limit' });
      if (admission.debt > this.cfg.rateLimitCloseAfterMessages) {
        this.shut(conn, 1008, 'rate limit', 'rate_limit_close');
        return;
      }
      // The client routes the error to the swarm it names (a reply without info_hash concerns none).
      this.reply(conn, encodeError('announce', peekInfoHash(text), 'rate limit exceeded'), 'rate_limit');
      return;
    }
    const now = this.now();
    const receivedAtMs = nowMs();
    const req = parseRequest(text, this.cfg);
    if (isParseError(req)) {
      this.metrics.received.inc({ type: 'invalid' });
      this.reply(conn, encodeError(req.action, req.infoHash, req.reason), 'invalid');
      return;
    }
    this.metrics.received.inc({ type: req.kind });
    if (req.kind === 'scrape') {
      conn.activeAtMs = now;
      this.router?.request(conn.id, receivedAtMs, req);
      return;
    }
    if (!this.isAllowed(req.infoHash)) {
      this.reply(conn, encodeError('announce', req.infoHash, 'info_hash not allowed'), 'info_hash_not_allowed');
      return;
    }
    if (req.kind === 'announce') {
      conn.activeAtMs = now;
      if (req.event === 'stopped') {
        conn.memberships.leave(req.infoHash, req.peerId);
      } else {
        const refusal = conn.memberships.announce(req.infoHash, req.peerId, now);
        if (refusal) {
          this.reply(conn, encodeError('announce', req.infoHash, REFUSALS[refusal]), refusal);
          return;
        }
      }
    }
    this.router?.request(conn.id, receivedAtMs, req);
  }

  /** Every `pingIntervalMs`: unanswered pings and idle connections are closed, stale IP states dropped. */
  private tick(): void {
    const now = this.now();
    for (const c of this.conns.values()) {
      if (!c.alive) {
        this.metrics.errors.inc({ reason: 'ping_timeout' });
        c.closing = true;
        c.ws.terminate();
        continue;
      }
      if (now - c.activeAtMs > this.cfg.idleTimeoutMs) {
        c.memberships.expire(now);
        if (c.memberships.empty) {
          this.shut(c, 1000, 'idle: no announce', 'idle');
          continue;
        }
      }
      c.alive = false;
      c.ws.ping();
    }
    this.ipLimiter.sweep();
  }
}
