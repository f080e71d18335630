import type { P2PNetwork, P2PPlatform, Swarm, UploadSource } from './p2p/types.js';
import type { EngineSettings } from './settings.js';

/** Builds the P2P network; injected so tests can pass a fake and so HTTP-only builds can omit it. */
export type NetworkFactory = (platform: P2PPlatform) => P2PNetwork;

export interface SwarmHooks {
  uploadSource: (swarmKey: string) => UploadSource;
  /** Called right after a swarm is created, to subscribe and announce stored segments. */
  attached(swarmKey: string, swarm: Swarm): void;
  error(message: string): void;
}

/**
 * Lazily creates the network and one swarm per swarm key in use. Any failure (no WebRTC, factory throws)
 * leaves the engine HTTP-only instead of breaking playback.
 */
export class SwarmManager {
  private network: P2PNetwork | undefined;
  private failed = false;
  private readonly swarms = new Map<string, Swarm>();

  constructor(
    private readonly factory: NetworkFactory | undefined,
    private readonly platform: Partial<P2PPlatform>,
    private readonly hooks: SwarmHooks,
  ) {}

  /** False once P2P was found unusable (see EngineStats.p2pAvailable); it is not retried. */
  get available(): boolean {
    return !this.failed;
  }

  get(swarmKey: string): Swarm | undefined {
    return this.swarms.get(swarmKey);
  }

  all(): ReadonlyMap<string, Swarm> {
    return this.swarms;
  }

  ensure(swarmKey: string, s: EngineSettings): Swarm | undefined {
    const existing = this.swarms.get(swarmKey);
    if (existing || !s.p2pEnabled || this.failed || !this.factory) return existing;
    const p = this.platform;
    try {
      if (!p.RTCPeerConnection || !p.WebSocket || !p.now || !p.random) throw new Error('WebRTC/WebSocket unavailable');
      this.network ??= this.factory({
        RTCPeerConnection: p.RTCPeerConnection,
        WebSocket: p.WebSocket,
        now: p.now,
        random: p.random,
      });
      const swarm = this.network.createSwarm({
        swarmKey,
        trackerUrls: s.trackerUrls,
        rtcConfig: s.rtcConfig,
        maxPeers: s.maxPeers,
        offersPerAnnounce: s.offersPerAnnounce,
        maxMessageBytes: s.maxMessageBytes,
        uploadEnabled: s.uploadEnabled && !s.consumeOnly,
        uploadRateBytesPerSec: s.uploadRateBytesPerSec,
        maxUploads: Math.floor(s.p2pMaxUploads),
      });
      swarm.setUploadSource(this.hooks.uploadSource(swarmKey));
      this.swarms.set(swarmKey, swarm);
      this.hooks.attached(swarmKey, swarm);
      return swarm;
    } catch (e) {
      this.failed = true;
      this.hooks.error(`swarmcast: P2P unavailable, HTTP only (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }

  applyUpload(s: EngineSettings): void {
    for (const sw of this.swarms.values()) {
      sw.setUploadEnabled(s.uploadEnabled && !s.consumeOnly);
      sw.setUploadRate(s.uploadRateBytesPerSec);
    }
  }

  drop(swarmKey: string): void {
    this.swarms.get(swarmKey)?.destroy();
    this.swarms.delete(swarmKey);
  }

  destroy(): void {
    for (const key of [...this.swarms.keys()]) this.drop(key);
    this.network?.destroy();
    this.network = undefined;
  }
}
