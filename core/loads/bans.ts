import type { EngineEvents } from '../engine-events.js';
import type { Transport } from '../transport/types.js';
import type { Load } from './load.js';

/** What a ban needs from the load lifecycle. */
export interface BanHost {
  transport: Transport;
  loads(): Iterable<Load>;
  /** Throws away the load's bytes at once and gets the segment elsewhere (HTTP, or a later plan). */
  evict(load: Load): void;
  emitBanned(e: Parameters<EngineEvents['peer-banned']>[0]): void;
}

/**
 * Peers proven to lie, per swarm. A ban is final and single: the first proof cancels everything the peer still had
 * in flight to us and throws away every byte of it we held (those copies would only be refused one by one, each
 * costing a refetch and repeating the verdict), then the swarm drops the peer, and `peer-banned` says so once.
 */
export class Bans {
  private readonly bySwarm = new Map<string, Set<string>>();

  constructor(private readonly host: BanHost) {}

  has(swarmKey: string, peerId: string): boolean {
    return this.bySwarm.get(swarmKey)?.has(peerId) === true;
  }

  ban(swarmKey: string, peerId: string, segmentId: string, reason: string): void {
    let banned = this.bySwarm.get(swarmKey);
    if (!banned) this.bySwarm.set(swarmKey, (banned = new Set()));
    const first = !banned.has(peerId);
    banned.add(peerId);
    // Before the swarm closes the connection: transfers stopped here never report that close as a peer failure.
    // Repeated on a later proof too (a swarm joined again may have let the peer back in), silently.
    for (const load of [...this.host.loads()])
      if (load.stream.swarmKey === swarmKey && load.involves(peerId)) this.host.evict(load);
    this.host.transport.swarm(swarmKey)?.banPeer(peerId, reason);
    if (first) this.host.emitBanned({ swarmKey, peerId, segmentId, reason });
  }
}
