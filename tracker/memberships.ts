/**
 * What one connection is in right now: swarm → peer_id → time of its last announce. The per-connection caps
 * count this (a `stopped`, an expiry or a close frees a slot; history does not count), and a closing
 * connection hands exactly these (swarm, peer_id) pairs to the swarm owners, which remove each in O(1).
 */

export type MembershipRefusal = 'swarms' | 'peer_ids' | 'swarm_peer_ids';

export interface MembershipLimits {
  maxSwarmsPerConnection: number;
  maxPeerIdsPerConnection: number;
  maxPeerIdsPerSwarmPerConnection: number;
}

export class Memberships {
  private readonly bySwarm = new Map<string, Map<string, number>>();
  /** peer_id → number of swarms it is in on this connection. */
  private readonly peerIds = new Map<string, number>();

  constructor(
    private readonly limits: MembershipLimits,
    /** A membership whose last announce is older than this is gone from its swarm (peer expiry). */
    private readonly ttlMs: number,
  ) {}

  get swarms(): number {
    return this.bySwarm.size;
  }

  get empty(): boolean {
    return this.bySwarm.size === 0;
  }

  /** Records an announce of `peerId` in `infoHash`, unless it would take one more slot than allowed. */
  announce(infoHash: string, peerId: string, nowMs: number): MembershipRefusal | null {
    const known = this.bySwarm.get(infoHash);
    if (known?.has(peerId)) {
      known.set(peerId, nowMs);
      return null;
    }
    let refusal = this.refusal(known, peerId);
    if (refusal) {
      // Slots may be held by memberships that have expired in their swarms meanwhile.
      this.expire(nowMs);
      refusal = this.refusal(this.bySwarm.get(infoHash), peerId);
      if (refusal) return refusal;
    }
    let peers = this.bySwarm.get(infoHash);
    if (!peers) {
      peers = new Map();
      this.bySwarm.set(infoHash, peers);
    }
    peers.set(peerId, nowMs);
    this.peerIds.set(peerId, (this.peerIds.get(peerId) ?? 0) + 1);
    return null;
  }

  private refusal(peers: Map<string, number> | undefined, peerId: string): MembershipRefusal | null {
    if (!peers && this.bySwarm.size >= this.limits.maxSwarmsPerConnection) return 'swarms';
    if (peers && peers.size >= this.limits.maxPeerIdsPerSwarmPerConnection) return 'swarm_peer_ids';
    if (!this.peerIds.has(peerId) && this.peerIds.size >= this.limits.maxPeerIdsPerConnection) return 'peer_ids';
    return null;
  }

  /** `peerId` left `infoHash` (`stopped`). */
  leave(infoHash: string, peerId: string): void {
    const peers = this.bySwarm.get(infoHash);
    if (!peers?.delete(peerId)) return;
    if (peers.size === 0) this.bySwarm.delete(infoHash);
    const n = (this.peerIds.get(peerId) ?? 1) - 1;
    if (n > 0) this.peerIds.set(peerId, n);
    else this.peerIds.delete(peerId);
  }

  /** Forgets memberships not announced for longer than the peer expiry. O(memberships), run only at a cap. */
  expire(nowMs: number): void {
    for (const [infoHash, peers] of this.bySwarm) {
      for (const [peerId, at] of peers) if (nowMs - at > this.ttlMs) this.leave(infoHash, peerId);
    }
  }

  /** Current (swarm, peer_id) pairs, grouped by swarm. */
  *pairs(): Generator<[string, string[]]> {
    for (const [infoHash, peers] of this.bySwarm) yield [infoHash, [...peers.keys()]];
  }
}
