/**
 * WebSocket gateway: accepts upgrades (origin, connection limits), validates and rate-limits messages,
 * enforces per-connection caps, pings idle sockets and hands valid requests to the router.
 * Bad input gets an error reply (with `action`) or a closed socket; it never throws out of a handler.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { TrackerConfig } from './config.js';
import { IpLimiter, TokenBucket } from './limits.js';
import { Counter, type TrackerMetrics } from './metrics.js';
import { encodeError, isParseError, parseRequest } from './protocol.js';
import type { Router } from './router.js';
import type { SentKind } from './swarms.js';

interface Conn {
  id: number;
  ws: WebSocket;
  ip: string;
  bucket: TokenBucket;
  hashes: Set<string>;
  peerIds: Set<string>;
  alive: boolean;
  /** Underlying TCP socket, corked while frames for it are batched within one event-loop turn. */
  socket: Duplex | null;
  corked: boolean;
}

const SENT_KEYS: Record<SentKind, string> = {
  announce: Counter.key({ type: 'announce' }),
  offer: Counter.key({ type: 'offer' }),
  answer: Counter.key({ type: 'answer' }),
  scrape: Counter.key({ type: 'scrape' }),
  error: Counter.key({ type: 'error' }),
};
const RECEIVED_KEYS: Record<'announce' | 'answer' | 'scrape', string> = {
  announce: Counter.key({ type: 'announce' }),
  answer: Counter.key({ type: 'answer' }),
  scrape: Counter.key({ type: 'scrape' }),
};

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly conns = new Map<number, Conn>();
  private readonly ipLimiter: IpLimiter;
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
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: cfg.maxMessageBytes,
      clientTracking: false,
    });
    this.ipLimiter = new IpLimiter(cfg);
    this.pingTimer = setInterval(() => {
      this.pingAll();
    }, cfg.pingIntervalMs);
    this.pingTimer.unref();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
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
    if (this.cfg.maxConnections > 0 && this.conns.size >= this.cfg.maxConnections) {
      refuse(503, 'Service Unavailable', 'max_connections');
      return;
    }
    const ip = this.clientIp(req);
    if (!this.ipLimiter.tryConnect(ip, nowMs())) {
      refuse(429, 'Too Many Requests', 'ip_connections');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.onConnection(ws, ip);
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
    this.metrics.sent.incKey(SENT_KEYS[kind]);
    if (kind === 'offer' || kind === 'answer') this.metrics.relayLatency.observe((nowMs() - receivedAtMs) / 1000);
  }

  /** Asks every client to go away, then terminates whatever is left after the grace period. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pingTimer);
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

  private clientIp(req: IncomingMessage): string {
    if (this.cfg.trustProxy) {
      const fwd = req.headers['x-forwarded-for'];
      const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }

  private onConnection(ws: WebSocket, ip: string): void {
    const conn: Conn = {
      id: this.nextId++,
      ws,
      ip,
      bucket: new TokenBucket(this.cfg.connectionMessagesPerSec, this.cfg.connectionMessageBurst, nowMs()),
      hashes: new Set(),
      peerIds: new Set(),
      alive: true,
      socket: (ws as unknown as { _socket?: Duplex })._socket ?? null,
      corked: false,
    };
    this.conns.set(conn.id, conn);
    this.metrics.connectionsTotal.inc();
    ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(conn, data, isBinary);
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
      this.ipLimiter.disconnect(ip);
      this.router?.closed(conn.id, conn.hashes);
    });
  }

  private reply(conn: Conn, frame: string, reason: string): void {
    this.metrics.errors.inc({ reason });
    this.deliver(conn.id, frame, 'error', 0);
  }

  private onMessage(conn: Conn, data: RawData, _isBinary: boolean): void {
    const now = nowMs();
    conn.alive = true;
    const balance = Math.min(conn.bucket.take(now), this.ipLimiter.take(conn.ip, now));
    if (balance < 0) {
      this.metrics.dropped.inc({ reason: 'rate_limit' });
      if (balance < -this.cfg.rateLimitCloseAfterMessages) {
        this.metrics.errors.inc({ reason: 'rate_limit_close' });
        conn.ws.close(1008, 'rate limit');
        return;
      }
      this.reply(conn, encodeError('announce', null, 'rate limit exceeded'), 'rate_limit');
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString()
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString()
        : data.toString();
    const req = parseRequest(text, this.cfg);
    if (isParseError(req)) {
      this.metrics.received.inc({ type: 'invalid' });
      this.reply(conn, encodeError(req.action, req.infoHash, req.reason), 'invalid');
      return;
    }
    this.metrics.received.incKey(RECEIVED_KEYS[req.kind]);
    if (req.kind === 'scrape') {
      this.router?.request(conn.id, now, req);
      return;
    }
    if (!this.isAllowed(req.infoHash)) {
      this.reply(conn, encodeError('announce', req.infoHash, 'info_hash not allowed'), 'info_hash_not_allowed');
      return;
    }
    if (!conn.peerIds.has(req.peerId)) {
      if (conn.peerIds.size >= this.cfg.maxPeerIdsPerConnection) {
        this.reply(conn, encodeError('announce', req.infoHash, 'too many peer_ids on this connection'), 'peer_ids');
        return;
      }
      if (req.kind === 'announce') conn.peerIds.add(req.peerId);
    }
    if (req.kind === 'announce' && req.event !== 'stopped' && !conn.hashes.has(req.infoHash)) {
      if (conn.hashes.size >= this.cfg.maxSwarmsPerConnection) {
        this.reply(conn, encodeError('announce', req.infoHash, 'too many swarms on this connection'), 'swarms');
        return;
      }
      conn.hashes.add(req.infoHash);
    }
    this.router?.request(conn.id, now, req);
  }

  private pingAll(): void {
    for (const c of this.conns.values()) {
      if (!c.alive) {
        this.metrics.errors.inc({ reason: 'ping_timeout' });
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
