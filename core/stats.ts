/** Snapshot returned by `engine.getStats()`. */
export interface EngineStats {
  /** Bytes downloaded over HTTP (all attempts). */
  httpBytes: number;
  /** Bytes downloaded from peers. */
  p2pBytes: number;
  /** Bytes served to the player from storage. */
  cacheBytes: number;
  /** Bytes uploaded to peers. */
  uploadedBytes: number;
  /** Downloaded bytes thrown away: partial transfers dropped, copies that failed their checks. */
  discardedBytes: number;
  /** p2pBytes / (httpBytes + p2pBytes); 0 before any download. */
  p2pRatio: number;
  /** False once P2P proved unusable here (no WebRTC or WebSocket, the network failed to start): HTTP only. */
  p2pAvailable: boolean;
  /** Connected peers per swarm key. */
  peersBySwarm: Record<string, number>;
  /** Per peer: bytes both ways and the P2P layer's measured throughput. */
  peers: PeerStats[];
  /** HTTP bandwidth estimate (bytes/s), undefined before the first measurable download. */
  httpBandwidthBytesPerSec: number | undefined;
  /** Bytes in storage. */
  storedBytes: number;
  /** Segments from peers checked against the origin (see the `integrity` setting). */
  integrity: IntegrityStats;
}

export interface IntegrityStats {
  /** Passed: handed on, stored, shared. */
  verified: number;
  /** Refused (fetched over HTTP instead). */
  failed: number;
  /** Of those, proven forged or truncated: their senders were banned. */
  forged: number;
  byMethod: { 'hash-list': number; 'spot-check': number };
  /** What the checks cost the CDN (hash lists and Range windows; headers not counted). */
  cdnBytes: number;
  cdnRequests: number;
}

export interface PeerStats {
  peerId: string;
  swarmKey: string;
  downloadedBytes: number;
  uploadedBytes: number;
  throughputBytesPerSec: number | undefined;
}

/**
 * HTTP-only bandwidth estimate for ABR: two EWMAs weighted by transfer time (fast and slow), the lower wins,
 * like hls.js. Peer and cache deliveries never feed it, so the player never over-estimates the network.
 */
export class BandwidthEstimator {
  private fast = 0;
  private slow = 0;
  private weight = 0;

  /** Record a transfer of `bytes` that took `ms` (from request to last byte). Tiny transfers are ignored. */
  add(bytes: number, ms: number): void {
    if (bytes < 16000 || ms <= 0) return;
    const sec = Math.max(ms, 20) / 1000;
    const rate = bytes / sec;
    const mix = (est: number, halfLifeSec: number): number => {
      const a = Math.pow(0.5, sec / halfLifeSec);
      return est * a + rate * (1 - a);
    };
    this.fast = mix(this.fast, 3);
    this.slow = mix(this.slow, 9);
    this.weight += sec;
  }

  estimate(): number | undefined {
    if (this.weight === 0) return undefined;
    // Correct the zero-initialised EWMAs for their start-up bias.
    const f = this.fast / (1 - Math.pow(0.5, this.weight / 3));
    const s = this.slow / (1 - Math.pow(0.5, this.weight / 9));
    return Math.min(f, s);
  }
}
