/**
 * Swarm state of the info_hashes this node owns: who is in each swarm, who was sent which offer.
 * Transport-agnostic: peers are addressed by (node, conn) and every reply goes through a `Sink`, so the
 * same code serves local sockets, other worker processes and other tracker nodes.
 * Peer selection is O(k): random indices into a dense array; removal swaps with the last element.
 */
import {
  encodeAnnounceResponse,
  encodeAnswer,
  encodeError,
  encodeOffer,
  encodeOfferHead,
  type AnnounceRequest,
  type AnswerRequest,
  type ScrapeFile,
} from './protocol.js';

export type SentKind = 'announce' | 'offer' | 'answer' | 'scrape' | 'error';

/** Where a request came from: node id, connection id on that node, and when the node received it. */
export interface Source {
  node: string;
  conn: number;
  receivedAtMs: number;
}

export interface Sink {
  send(node: string, conn: number, frame: string, kind: SentKind, receivedAtMs: number): void;
}

export interface SwarmLimits {
  intervalSec: number;
  peerTimeoutIntervals: number;
  maxOffersPerAnnounce: number;
  offerTtlMs: number;
  maxPendingOffersPerPeer: number;
}

interface PendingOffer {
  from: string;
  expiresAtMs: number;
}

interface Peer {
  peerId: string;
  node: string;
  conn: number;
  seeder: boolean;
  expiresAtMs: number;
  index: number;
  /** offer_id → offerer, for offers relayed to this peer; created lazily. */
  pending: Map<string, PendingOffer> | null;
}

interface Swarm {
  peers: Peer[];
  byId: Map<string, Peer>;
  seeders: number;
  downloaded: number;
}

export type EngineRejection = 'peer_id_taken' | 'answer_unexpected' | 'answer_not_member' | 'answer_target_gone';

export class SwarmEngine {
  private readonly swarms = new Map<string, Swarm>();
  private peerCount = 0;
  /** Counts of rejected requests, by reason; read by metrics. */
  readonly rejections = new Map<EngineRejection, number>();

  constructor(
    private readonly limits: SwarmLimits,
    private readonly sink: Sink,
    private readonly now: () => number = Date.now,
  ) {}

  get peers(): number {
    return this.peerCount;
  }

  get swarmCount(): number {
    return this.swarms.size;
  }

  private reject(reason: EngineRejection): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  announce(src: Source, req: AnnounceRequest): void {
    const { infoHash, peerId } = req;
    let swarm = this.swarms.get(infoHash);
    let peer = swarm?.byId.get(peerId);
    if (peer && (peer.node !== src.node || peer.conn !== src.conn)) {
      // peer_id is bound to the connection that announced it first: no eviction or hijack from elsewhere.
      this.reject('peer_id_taken');
      this.sink.send(
        src.node,
        src.conn,
        encodeError('announce', infoHash, 'peer_id in use by another connection'),
        'error',
        src.receivedAtMs,
      );
      return;
    }
    if (req.event === 'stopped') {
      if (swarm && peer) this.removePeer(infoHash, swarm, peer);
      const s = this.swarms.get(infoHash);
      const complete = s?.seeders ?? 0;
      const frame = encodeAnnounceResponse(
        infoHash,
        this.limits.intervalSec,
        complete,
        (s?.peers.length ?? 0) - complete,
      );
      this.sink.send(src.node, src.conn, frame, 'announce', src.receivedAtMs);
      return;
    }
    if (!swarm) {
      swarm = { peers: [], byId: new Map(), seeders: 0, downloaded: 0 };
      this.swarms.set(infoHash, swarm);
    }
    const expiresAtMs = this.now() + this.limits.intervalSec * 1000 * this.limits.peerTimeoutIntervals;
    if (!peer) {
      peer = {
        peerId,
        node: src.node,
        conn: src.conn,
        seeder: false,
        expiresAtMs,
        index: swarm.peers.length,
        pending: null,
      };
      swarm.peers.push(peer);
      swarm.byId.set(peerId, peer);
      this.peerCount++;
    }
    peer.expiresAtMs = expiresAtMs;
    if (req.event === 'completed' && !peer.seeder) swarm.downloaded++;
    if (req.seeder !== peer.seeder) {
      swarm.seeders += req.seeder ? 1 : -1;
      peer.seeder = req.seeder;
    }
    const frame = encodeAnnounceResponse(
      infoHash,
      this.limits.intervalSec,
      swarm.seeders,
      swarm.peers.length - swarm.seeders,
    );
    this.sink.send(src.node, src.conn, frame, 'announce', src.receivedAtMs);

    let count = Math.min(req.offers.length, this.limits.maxOffersPerAnnounce, swarm.peers.length - 1);
    if (req.numwant !== null) count = Math.min(count, req.numwant);
    if (count <= 0) return;
    const targets = pickTargets(swarm.peers, peer.index, count);
    const offerExpiresAtMs = this.now() + this.limits.offerTtlMs;
    const head = encodeOfferHead(infoHash, peerId);
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      const offer = req.offers[i];
      if (!target || !offer) break;
      target.pending ??= new Map();
      if (target.pending.size >= this.limits.maxPendingOffersPerPeer) {
        const oldest = target.pending.keys().next();
        if (oldest.done !== true) target.pending.delete(oldest.value);
      }
      target.pending.set(offer.offerId, { from: peerId, expiresAtMs: offerExpiresAtMs });
      this.sink.send(target.node, target.conn, encodeOffer(head, offer), 'offer', src.receivedAtMs);
    }
  }

  answer(src: Source, req: AnswerRequest): void {
    const swarm = this.swarms.get(req.infoHash);
    const answerer = swarm?.byId.get(req.peerId);
    if (!swarm || answerer?.node !== src.node || answerer.conn !== src.conn) {
      this.reject('answer_not_member');
      this.sink.send(
        src.node,
        src.conn,
        encodeError('announce', req.infoHash, 'answer from a peer not in this swarm on this connection'),
        'error',
        src.receivedAtMs,
      );
      return;
    }
    const pending = answerer.pending?.get(req.offerId);
    if (pending?.from !== req.toPeerId || pending.expiresAtMs < this.now()) {
      this.reject('answer_unexpected');
      this.sink.send(
        src.node,
        src.conn,
        encodeError('announce', req.infoHash, 'answer to an offer that was not sent to you'),
        'error',
        src.receivedAtMs,
      );
      return;
    }
    answerer.pending?.delete(req.offerId);
    const offerer = swarm.byId.get(req.toPeerId);
    if (!offerer) {
      this.reject('answer_target_gone');
      return;
    }
    this.sink.send(offerer.node, offerer.conn, encodeAnswer(req), 'answer', src.receivedAtMs);
  }

  scrape(infoHashes: readonly string[]): Record<string, ScrapeFile> {
    const files: Record<string, ScrapeFile> = {};
    for (const h of infoHashes) {
      const s = this.swarms.get(h);
      files[h] = s
        ? { complete: s.seeders, incomplete: s.peers.length - s.seeders, downloaded: s.downloaded }
        : { complete: 0, incomplete: 0, downloaded: 0 };
    }
    return files;
  }

  /** A connection closed: its peers leave the given swarms. */
  connectionClosed(node: string, conn: number, infoHashes: Iterable<string>): void {
    for (const h of infoHashes) {
      const swarm = this.swarms.get(h);
      if (!swarm) continue;
      // A connection normally holds one peer per swarm; scan only when the swarm is small or we must.
      for (let i = swarm.peers.length - 1; i >= 0; i--) {
        const p = swarm.peers[i];
        if (p?.node === node && p.conn === conn) this.removePeer(h, swarm, p);
      }
    }
  }

  /** Removes every peer whose connection lives on a node not in `alive` (dead or unreachable nodes). */
  retainNodes(alive: ReadonlySet<string>): number {
    let removed = 0;
    for (const [h, swarm] of this.swarms) {
      for (let i = swarm.peers.length - 1; i >= 0; i--) {
        const p = swarm.peers[i];
        if (p && !alive.has(p.node)) {
          this.removePeer(h, swarm, p);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Drops swarms this node no longer owns (ownership moved after a membership change). */
  retainSwarms(owns: (infoHash: string) => boolean): void {
    for (const [h, swarm] of this.swarms) {
      if (owns(h)) continue;
      this.peerCount -= swarm.peers.length;
      this.swarms.delete(h);
    }
  }

  /** Drops expired peers, expired pending offers and empty swarms. O(peers). */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [h, swarm] of this.swarms) {
      for (let i = swarm.peers.length - 1; i >= 0; i--) {
        const p = swarm.peers[i];
        if (!p) continue;
        if (p.expiresAtMs < now) {
          this.removePeer(h, swarm, p);
          removed++;
          continue;
        }
        if (p.pending) {
          for (const [id, o] of p.pending) if (o.expiresAtMs < now) p.pending.delete(id);
          if (p.pending.size === 0) p.pending = null;
        }
      }
      if (swarm.peers.length === 0) this.swarms.delete(h);
    }
    return removed;
  }

  /** Per-swarm counts, for the optional info_hash stats. */
  *swarmStats(): Generator<[string, ScrapeFile]> {
    for (const [h, s] of this.swarms) {
      yield [h, { complete: s.seeders, incomplete: s.peers.length - s.seeders, downloaded: s.downloaded }];
    }
  }

  clear(): void {
    this.swarms.clear();
    this.peerCount = 0;
  }

  private removePeer(infoHash: string, swarm: Swarm, peer: Peer): void {
    const last = swarm.peers.pop();
    if (last && last !== peer) {
      swarm.peers[peer.index] = last;
      last.index = peer.index;
    }
    swarm.byId.delete(peer.peerId);
    if (peer.seeder) swarm.seeders--;
    this.peerCount--;
    if (swarm.peers.length === 0) this.swarms.delete(infoHash);
  }
}

/** Up to `count` distinct peers other than `selfIndex`, chosen at random in O(count). */
function pickTargets(peers: readonly Peer[], selfIndex: number, count: number): Peer[] {
  const n = peers.length;
  const out: Peer[] = [];
  if (n - 1 <= count * 3) {
    // Small swarm: a window from a random start, skipping self.
    const start = Math.floor(Math.random() * n);
    for (let i = 0; i < n && out.length < count; i++) {
      const idx = (start + i) % n;
      const p = peers[idx];
      if (idx !== selfIndex && p) out.push(p);
    }
    return out;
  }
  const seen = new Set<number>([selfIndex]);
  for (let attempts = 0; out.length < count && attempts < count * 4; attempts++) {
    const idx = Math.floor(Math.random() * n);
    if (seen.has(idx)) continue;
    seen.add(idx);
    const p = peers[idx];
    if (p) out.push(p);
  }
  return out;
}
