import type { Verdict } from './integrity/verdict.js';
import type { PeerStats } from './stats.js';
import { BandwidthEstimator } from './stats.js';

/**
 * Bytes by source, per peer, and the HTTP-only bandwidth estimate: what `getStats()` reports. Everything that moves
 * bytes reports them here; nothing else keeps counters.
 */
export class Meter {
  readonly bandwidth = new BandwidthEstimator();
  readonly bytes = { http: 0, p2p: 0, cache: 0, up: 0 };
  /** Downloaded bytes thrown away: partial transfers dropped, copies that failed their checks. */
  discardedBytes = 0;
  /** Segments from peers checked against the origin, what the checks concluded and what they cost the CDN. */
  readonly integrity = {
    verified: 0,
    failed: 0,
    /** Failures that proved the sender wrong (its peers were banned); the rest could not conclude. */
    forged: 0,
    byMethod: { 'hash-list': 0, 'spot-check': 0 },
    cdnBytes: 0,
    cdnRequests: 0,
  };
  private readonly perPeer = new Map<string, { swarmKey: string; down: number; up: number }>();

  downloaded(source: 'http' | 'p2p', bytes: number, peerId: string | undefined, swarmKey: string): void {
    this.bytes[source] += bytes;
    if (peerId) this.peer(peerId, swarmKey).down += bytes;
  }

  uploaded(peerId: string, bytes: number, swarmKey: string): void {
    this.bytes.up += bytes;
    this.peer(peerId, swarmKey).up += bytes;
  }

  fromCache(bytes: number): void {
    this.bytes.cache += bytes;
  }

  discarded(bytes: number): void {
    this.discardedBytes += bytes;
  }

  /** `concluded` false: the bytes were thrown away before the verdict came; only its CDN cost counts. */
  checked(v: Verdict, concluded = true): void {
    const i = this.integrity;
    i.cdnBytes += v.cdnBytes;
    i.cdnRequests += v.cdnRequests;
    if (!concluded) return;
    if (v.ok) i.verified++;
    else i.failed++;
    if (v.blame) i.forged++;
    if (v.method !== 'none') i.byMethod[v.method]++;
  }

  /** Per-peer rows: connected peers with their measured throughput, then peers gone that exchanged bytes. */
  peerStats(
    connected: Iterable<{ swarmKey: string; peerId: string; throughputBytesPerSec: number | undefined }>,
  ): PeerStats[] {
    const out: PeerStats[] = [];
    const seen = new Set<string>();
    for (const c of connected) {
      const b = this.perPeer.get(c.peerId);
      seen.add(c.peerId);
      out.push({ ...c, downloadedBytes: b?.down ?? 0, uploadedBytes: b?.up ?? 0 });
    }
    for (const [peerId, b] of this.perPeer) {
      if (seen.has(peerId)) continue;
      out.push({
        peerId,
        swarmKey: b.swarmKey,
        downloadedBytes: b.down,
        uploadedBytes: b.up,
        throughputBytesPerSec: undefined,
      });
    }
    return out;
  }

  private peer(peerId: string, swarmKey: string): { swarmKey: string; down: number; up: number } {
    let b = this.perPeer.get(peerId);
    if (!b) this.perPeer.set(peerId, (b = { swarmKey, down: 0, up: 0 }));
    return b;
  }
}
