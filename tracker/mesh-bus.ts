/**
 * Bus between worker processes on one machine: every worker listens on a Unix socket and connects
 * directly to the others (a full mesh, no hop through the primary). One write per destination per
 * event-loop turn, one envelope per line: `O\t<conn>\t<receivedAtMs>\t<kind>\t<frame>` for frames to
 * write to a socket (the frame is JSON text, which never holds a raw newline or tab, so it is carried
 * as-is instead of being escaped again), `J\t<json envelope>` for the rest. The primary announces the
 * member list (id → socket path) whenever a worker starts or dies.
 */
import { createServer, createConnection, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { Bus, BusEnvelope } from './router.js';
import type { SentKind } from './swarms.js';

export interface MeshMember {
  id: string;
  path: string;
}

const MAX_LINK_BUFFER_BYTES = 64 * 1024 * 1024;

function readLines(sock: Socket, onLine: (line: string) => void): void {
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl = buf.indexOf('\n');
    while (nl !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      onLine(line);
      nl = buf.indexOf('\n');
    }
  });
}

export class MeshBus implements Bus {
  onEnvelope: (env: BusEnvelope) => void = () => undefined;
  onMembership: (nodes: readonly string[]) => void = () => undefined;
  /** Envelopes dropped because a link was down or too far behind. */
  dropped = 0;
  private live: string[];
  private paths = new Map<string, string>();
  private readonly links = new Map<string, Socket>();
  private readonly inbound = new Set<Socket>();
  private readonly outbox = new Map<string, BusEnvelope[]>();
  private flushScheduled = false;
  private server: Server | null = null;

  constructor(
    readonly selfId: string,
    readonly path: string,
  ) {
    this.live = [selfId];
  }

  nodes(): readonly string[] {
    return this.live;
  }

  healthy(): boolean {
    return true;
  }

  start(): Promise<void> {
    rmSync(this.path, { force: true });
    return new Promise((resolve, reject) => {
      const server = createServer((sock) => {
        this.inbound.add(sock);
        sock.on('error', () => undefined);
        sock.on('close', () => this.inbound.delete(sock));
        readLines(sock, (line) => {
          this.onLine(line);
        });
      });
      server.once('error', reject);
      server.listen(this.path, () => {
        this.server = server;
        resolve();
      });
    });
  }

  /** Called when the primary announces the current workers. */
  setMembers(members: readonly MeshMember[]): void {
    this.paths = new Map(members.map((m) => [m.id, m.path]));
    for (const [id, link] of this.links) {
      if (!this.paths.has(id)) {
        link.destroy();
        this.links.delete(id);
      }
    }
    const live = [...new Set([this.selfId, ...members.map((m) => m.id)])].sort();
    if (live.length === this.live.length && live.every((n, i) => n === this.live[i])) return;
    this.live = live;
    this.onMembership(live);
  }

  send(node: string, env: BusEnvelope): void {
    const list = this.outbox.get(node);
    if (list) list.push(env);
    else this.outbox.set(node, [env]);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flush();
      });
    }
  }

  private link(node: string): Socket | null {
    const existing = this.links.get(node);
    if (existing && !existing.destroyed) return existing;
    const path = this.paths.get(node);
    if (!path) return null;
    const sock = createConnection(path);
    sock.setNoDelay(true);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (this.links.get(node) === sock) this.links.delete(node);
    });
    this.links.set(node, sock);
    return sock;
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [node, batch] of this.outbox) {
      const link = this.link(node);
      if (!link || link.writableLength > MAX_LINK_BUFFER_BYTES) {
        this.dropped += batch.length;
        continue;
      }
      let text = '';
      for (const env of batch) {
        text += env.t === 'out' ? `O\t${env.c}\t${env.r}\t${env.k}\t${env.d}\n` : `J\t${JSON.stringify(env)}\n`;
      }
      link.write(text);
    }
    this.outbox.clear();
  }

  private onLine(line: string): void {
    try {
      if (line.startsWith('O\t')) {
        const a = line.indexOf('\t', 2);
        const b = line.indexOf('\t', a + 1);
        const c = line.indexOf('\t', b + 1);
        this.onEnvelope({
          t: 'out',
          c: Number(line.slice(2, a)),
          r: Number(line.slice(a + 1, b)),
          k: line.slice(b + 1, c) as SentKind,
          d: line.slice(c + 1),
        });
      } else if (line.startsWith('J\t')) {
        this.onEnvelope(JSON.parse(line.slice(2)) as BusEnvelope);
      }
    } catch {
      // one bad envelope must not stop the others
    }
  }

  destroy(): Promise<void> {
    for (const l of this.links.values()) l.destroy();
    for (const s of this.inbound) s.destroy();
    this.links.clear();
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => {
        rmSync(this.path, { force: true });
        resolve();
      });
    });
  }
}
