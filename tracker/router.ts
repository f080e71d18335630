/**
 * Routes each request to the node that owns its info_hash and each reply to the node holding the target
 * socket. Ownership is rendezvous hashing over the live node list of the bus, so a membership change moves
 * only the swarms of the nodes that came or went. Without a bus (one process) everything is local.
 * A node id is `<name>#<incarnation>`: ownership hashes the name only, so a node (or worker) restarted under
 * its name takes back exactly the swarms it had and moves nobody else's; connections are addressed by the
 * full id, so a peer of the previous incarnation can never be taken for a new connection with the same number.
 */
import { encodeScrape, type TrackerRequest } from './protocol.js';
import { SwarmEngine, type SentKind, type Sink, type Source, type SwarmLimits } from './swarms.js';
import type { TrackerMetrics } from './metrics.js';

export type BusEnvelope =
  | { t: 'req'; n: string; c: number; r: number; q: TrackerRequest }
  | { t: 'out'; c: number; r: number; k: SentKind; d: string }
  | { t: 'close'; n: string; c: number; p: [string, string[]][] };

/** Transport between tracker nodes (worker processes or hosts). Delivery is best-effort, at most once. */
export interface Bus {
  readonly selfId: string;
  /** Live nodes, self included. */
  nodes(): readonly string[];
  /** False while the bus is degraded (e.g. Redis unreachable): swarms are node-local meanwhile. */
  healthy(): boolean;
  send(node: string, env: BusEnvelope): void;
  /** Set by the router before `start()`. */
  onEnvelope: (env: BusEnvelope) => void;
  onMembership: (nodes: readonly string[]) => void;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export type LocalDeliver = (conn: number, frame: string, kind: SentKind, receivedAtMs: number) => void;

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The stable part of a node id (`name#incarnation` → `name`). */
export function nodeName(nodeId: string): string {
  const i = nodeId.lastIndexOf('#');
  return i < 0 ? nodeId : nodeId.slice(0, i);
}

/** Rendezvous (highest-random-weight) owner of `infoHash` among `nodes`, by their names. */
export function ownerOf(nodes: readonly string[], infoHash: string): string {
  let best = nodes[0] ?? '';
  let bestScore = -1;
  for (const n of nodes) {
    const score = hash32(nodeName(n) + '\u0000' + infoHash);
    if (score > bestScore || (score === bestScore && n < best)) {
      bestScore = score;
      best = n;
    }
  }
  return best;
}

export class Router implements Sink {
  readonly engine: SwarmEngine;
  readonly selfId: string;

  constructor(
    limits: SwarmLimits,
    private readonly deliverLocal: LocalDeliver,
    private readonly bus: Bus | null,
    private readonly metrics: TrackerMetrics,
    selfId: string,
    now: () => number = Date.now,
  ) {
    this.selfId = bus?.selfId ?? selfId;
    this.engine = new SwarmEngine(limits, this, now);
    if (bus) {
      bus.onEnvelope = (env) => {
        this.onEnvelope(env);
      };
      bus.onMembership = (nodes) => {
        this.onMembership(nodes);
      };
    }
  }

  owner(infoHash: string): string {
    const nodes = this.bus?.nodes();
    if (!nodes || nodes.length <= 1) return this.selfId;
    return ownerOf(nodes, infoHash);
  }

  /** A request from a local connection. */
  request(conn: number, receivedAtMs: number, req: TrackerRequest): void {
    if (req.kind === 'scrape') {
      const byOwner = new Map<string, string[]>();
      for (const h of req.infoHashes) {
        const o = this.owner(h);
        const list = byOwner.get(o);
        if (list) list.push(h);
        else byOwner.set(o, [h]);
      }
      for (const [o, infoHashes] of byOwner) this.dispatch(o, conn, receivedAtMs, { kind: 'scrape', infoHashes });
      return;
    }
    this.dispatch(this.owner(req.infoHash), conn, receivedAtMs, req);
  }

  /** A local connection closed while these (swarm, peer_ids) were its memberships. */
  closed(conn: number, pairs: Iterable<[string, string[]]>): void {
    const byOwner = new Map<string, [string, string[]][]>();
    for (const pair of pairs) {
      const o = this.owner(pair[0]);
      const list = byOwner.get(o);
      if (list) list.push(pair);
      else byOwner.set(o, [pair]);
    }
    for (const [o, p] of byOwner) {
      if (o === this.selfId || !this.bus) this.engine.connectionClosed(this.selfId, conn, p);
      else this.busSend(o, { t: 'close', n: this.selfId, c: conn, p });
    }
  }

  send(node: string, conn: number, frame: string, kind: SentKind, receivedAtMs: number): void {
    if (node === this.selfId || !this.bus) this.deliverLocal(conn, frame, kind, receivedAtMs);
    else this.busSend(node, { t: 'out', c: conn, r: receivedAtMs, k: kind, d: frame });
  }

  private dispatch(owner: string, conn: number, receivedAtMs: number, req: TrackerRequest): void {
    if (owner === this.selfId || !this.bus) this.handle({ node: this.selfId, conn, receivedAtMs }, req);
    else this.busSend(owner, { t: 'req', n: this.selfId, c: conn, r: receivedAtMs, q: req });
  }

  private handle(src: Source, req: TrackerRequest): void {
    if (req.kind === 'announce') this.engine.announce(src, req);
    else if (req.kind === 'answer') this.engine.answer(src, req);
    else this.send(src.node, src.conn, encodeScrape(this.engine.scrape(req.infoHashes)), 'scrape', src.receivedAtMs);
  }

  private busSend(node: string, env: BusEnvelope): void {
    this.metrics.bus.inc({ direction: 'out' });
    this.bus?.send(node, env);
  }

  private onEnvelope(env: BusEnvelope): void {
    this.metrics.bus.inc({ direction: 'in' });
    if (env.t === 'out') this.deliverLocal(env.c, env.d, env.k, env.r);
    else if (env.t === 'req') this.handle({ node: env.n, conn: env.c, receivedAtMs: env.r }, env.q);
    else this.engine.connectionClosed(env.n, env.c, env.p);
  }

  private onMembership(nodes: readonly string[]): void {
    this.engine.retainNodes(new Set(nodes));
    this.engine.retainSwarms((h) => this.owner(h) === this.selfId);
  }
}
