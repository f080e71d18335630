/**
 * Swarm state of the info_hashes this node owns: who is in each swarm, who was sent which offer.
 * Transport-agnostic: peers are addressed by (node, conn) and every reply goes through a `Sink`, so the
 * same code serves local sockets, other worker processes and other tracker nodes.
 * Peer selection is O(k): random indices into a dense array; removal swaps with the last element, and a
 * closing connection names its (swarm, peer_id) pairs, so a close costs O(its peers), whatever the swarm size.
 * Offers awaiting an answer are kept on the offerer (aquatic does the same): traffic aimed at a target
 * cannot push out what others sent it.
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
import { pickTargets } from './select.js';

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
  maxSwarms: number;
  maxPeers: number;
}

interface SentOffer {
  /** peer_id the offer was relayed to: the only one whose answer is relayed back. */
  to: string;
  expiresAtMs: number;
}

interface Peer {
  peerId: string;
  node: string;
  conn: number;
  seeder: boolean;
  expiresAtMs: number;
  index: number;
  /** offer_id → target, for this peer's offers awaiting an answer; created lazily. */
  sent: Map<string, SentOffer> | null;
}

interface Swarm {
  peers: Peer[];
  byId: Map<string, Peer>;
  seeders: number;
  downloaded: number;
}

export type EngineRejection =
  'peer_id_taken' | 'answer_unexpected' | 'answer_not_member' | 'answer_target_gone' | 'swarms_full' | 'peers_full';

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

  private refuse(src: Source, infoHash: string, reason: EngineRejection, text: string): void {
    this.reject(reason);
    this.sink.send(src.node, src.conn, encodeError('announce', infoHash, text), 'error', src.receivedAtMs);
  }

  announce(src: Source, req: AnnounceRequest): void {
    const { infoHash, peerId } = req;
    let swarm = this.swarms.get(infoHash);
    let peer = swarm?.byId.get(peerId);
    if (peer && (peer.node !== src.node || peer.conn !== src.conn)) {
      // peer_id is bound to the connection that announced it first: no eviction or hijack from elsewhere.
      this.refuse(src, infoHash, 'peer_id_taken', 'peer_id in use by another connection');
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
    // Ceilings on this node's memory: a clear refusal instead of growing until the process dies.
    if (!swarm && this.swarms.size >= this.limits.maxSwarms) {
      this.refuse(src, infoHash, 'swarms_full', 'tracker full: too many swarms');
      return;
    }
    if (!peer && this.peerCount >= this.limits.maxPeers) {
      this.refuse(src, infoHash, 'peers_full', 'tracker full: too many peers');
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
        sent: null,
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
    const sent = (peer.sent ??= new Map());
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i];
      const offer = req.offers[i];
      if (!target || !offer) break;
      if (sent.size >= this.limits.maxPendingOffersPerPeer) {
        // Only the offerer's own offers compete for its slots.
        const oldest = sent.keys().next();
        if (oldest.done !== true) sent.delete(oldest.value);
      }
      sent.delete(offer.offerId); // re-inserted last: the order stays oldest first
      sent.set(offer.offerId, { to: target.peerId, expiresAtMs: offerExpiresAtMs });
      this.sink.send(target.node, target.conn, encodeOffer(head, offer, target.peerId), 'offer', src.receivedAtMs);
    }
  }

  answer(src: Source, req: AnswerRequest): void {
    const swarm = this.swarms.get(req.infoHash);
    const answerer = swarm?.byId.get(req.peerId);
    if (!swarm || answerer?.node !== src.node || answerer.conn !== src.conn) {
      this.refuse(src, req.infoHash, 'answer_not_member', 'answer from a peer not in this swarm on this connection');
      return;
    }
    const offerer = swarm.byId.get(req.toPeerId);
    if (!offerer) {
      // Gone since (left, expired, closed): nobody to relay to, nothing the answerer did wrong.
      this.reject('answer_target_gone');
      return;
    }
    const sent = offerer.sent?.get(req.offerId);
    if (sent?.to !== answerer.peerId || sent.expiresAtMs < this.now()) {
      this.refuse(src, req.infoHash, 'answer_unexpected', 'answer to an offer that was not sent to you');
      return;
    }
    offerer.sent?.delete(req.offerId);
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

  /**
   * A connection closed: the peers it named leave their swarms, if they are still bound to it. O(pairs):
   * 50 000 viewers of one swarm dropping at once must not each scan the swarm.
   */
  connectionClosed(node: string, conn: number, pairs: Iterable<readonly [string, readonly string[]]>): void {
    for (const [h, peerIds] of pairs) {
      const swarm = this.swarms.get(h);
      if (!swarm) continue;
      for (const id of peerIds) {
        const p = swarm.byId.get(id);
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
        if (p.sent) {
          for (const [id, o] of p.sent) if (o.expiresAtMs < now) p.sent.delete(id);
          if (p.sent.size === 0) p.sent = null;
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
