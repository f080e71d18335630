/**
 * The real transport: HTTP through fetch (core/http/loader.ts) and peers through the P2P layer (core/p2p). Swarms
 * are created lazily, one per swarm key; any failure to start P2P (no WebRTC, the factory throws) leaves the
 * engine HTTP-only with one warning instead of breaking playback.
 */
import { SwarmcastError, type SwarmcastErrorType } from '../errors.js';
import { httpLoad } from '../http/loader.js';
import type { Verdict } from '../integrity/verdict.js';
import { createVerifier, type Verifier } from '../integrity/verifier.js';
import type { P2PNetwork, P2PPlatform, PeerDownloadErrorType, Swarm } from '../p2p/types.js';
import type {
  HttpTransferRequest,
  SwarmPort,
  Transfer,
  TransferSink,
  Transport,
  TransportContext,
  VerifyRequest,
} from './types.js';

/** Builds the P2P network; injected so tests can pass a fake and so HTTP-only builds can omit it. */
export type NetworkFactory = (platform: P2PPlatform) => P2PNetwork;

export interface NetPlatform {
  fetch: typeof fetch;
  RTCPeerConnection: typeof RTCPeerConnection | undefined;
  WebSocket: typeof WebSocket | undefined;
  random: () => number;
  /** Undefined: HTTP only. */
  createNetwork: NetworkFactory | undefined;
}

const PEER_ERRORS: Record<Exclude<PeerDownloadErrorType, 'aborted'>, SwarmcastErrorType> = {
  absent: 'peer-absent',
  busy: 'peer-busy',
  'peer-closed': 'peer-closed',
  'protocol-error': 'peer-protocol-error',
};

function peerError(peerId: string, e: unknown): SwarmcastError {
  const type = (e as { type?: string }).type;
  const mapped = type !== undefined && type in PEER_ERRORS ? PEER_ERRORS[type as keyof typeof PEER_ERRORS] : undefined;
  return new SwarmcastError(mapped ?? 'peer-protocol-error', `peer ${peerId}: ${type ?? String(e)}`, undefined, {
    cause: e,
  });
}

/** One request to one peer, as a Transfer: chunks are handed on as they arrive so a cut transfer keeps them. */
function peerTransfer(swarm: Swarm, peerId: string, segmentId: string, fromByte: number, sink: TransferSink): Transfer {
  const dl = swarm.download(peerId, segmentId, fromByte);
  let seen = 0;
  let total: number | undefined;
  let over = false;
  // The progress chunk is used when it covers exactly the new bytes (copying out of receivedData() on every chunk
  // would be quadratic).
  const pull = (fresh?: Uint8Array): void => {
    if (dl.receivedBytes <= seen) return;
    const chunk = fresh && seen + fresh.byteLength === dl.receivedBytes ? fresh : dl.receivedData().slice(seen);
    seen += chunk.byteLength;
    sink.data(chunk, total);
  };
  dl.onProgress = (p) => {
    if (over) return;
    total ??= p.totalBytes;
    pull(p.chunk);
  };
  dl.result.then(
    (bytes) => {
      if (over) return;
      over = true;
      if (bytes.byteLength > seen) sink.data(bytes.subarray(seen), total);
      sink.done(bytes);
    },
    (e: unknown) => {
      if (over) return;
      pull();
      over = true;
      sink.fail(peerError(peerId, e));
    },
  );
  return {
    cancel() {
      if (over) return;
      pull();
      over = true;
      dl.cancel();
    },
  };
}

function swarmPort(swarm: Swarm): SwarmPort {
  return {
    peerId: swarm.peerId,
    peers: () => swarm.peers(),
    connectingPeers: () => swarm.connectingPeers(),
    swarmSize: () => swarm.swarmSize(),
    announceHave: (id) => swarm.announceHave(id),
    announceLoading: (id) => swarm.announceLoading(id),
    announceRemoved: (id) => swarm.announceRemoved(id),
    withdrawLoading: (id) => swarm.withdrawLoading(id),
    download: (peerId, segmentId, fromByte, sink) => peerTransfer(swarm, peerId, segmentId, fromByte, sink),
    banPeer: (peerId, reason) => swarm.banPeer(peerId, reason),
    penalize: (peerId, offence) => swarm.penalize(peerId, offence),
  };
}

export class NetTransport implements Transport {
  private network: P2PNetwork | undefined;
  private failed = false;
  private readonly live = new Map<string, { swarm: Swarm; port: SwarmPort }>();
  private readonly ports = new Map<string, SwarmPort>();
  private verifier: Verifier | undefined;

  constructor(
    private readonly ctx: TransportContext,
    private readonly platform: NetPlatform,
  ) {}

  http(request: HttpTransferRequest, sink: TransferSink): Transfer {
    const s = this.ctx.settings();
    const ctrl = new AbortController();
    let over = false;
    httpLoad({
      url: request.url,
      byteRange: request.byteRange,
      fromByte: request.fromByte,
      fetch: this.platform.fetch,
      signal: ctrl.signal,
      ttfbTimeoutMs: s.httpTtfbTimeoutMs,
      noProgressTimeoutMs: s.httpNoProgressTimeoutMs,
      retries: s.httpRetries,
      retryDelayMs: s.httpRetryDelayMs,
      requestSetup: s.httpRequestSetup,
      onData: (chunk, total) => over || sink.data(chunk, total),
    }).then(
      () => {
        if (over) return;
        over = true;
        sink.done();
      },
      (e: unknown) => {
        if (over) return;
        over = true;
        sink.fail(
          e instanceof SwarmcastError ? e : new SwarmcastError('network-error', String(e), undefined, { cause: e }),
        );
      },
    );
    return {
      cancel() {
        if (over) return;
        over = true;
        ctrl.abort();
      },
    };
  }

  verify(request: VerifyRequest, bytes: Uint8Array, signal?: AbortSignal): Promise<Verdict> {
    const s = this.ctx.settings();
    this.verifier ??= createVerifier({
      mode: s.integrity,
      fetch: this.platform.fetch,
      httpRequestSetup: s.httpRequestSetup,
      now: () => this.ctx.clock.now(),
    });
    const segment = { url: request.url, byteRange: request.byteRange };
    return this.verifier.verify(segment, bytes, request.manifestUrl, {
      live: request.live,
      hashListUrl: request.hashListUrl,
      ...(request.peerSpans ? { peerSpans: request.peerSpans } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  join(swarmKey: string): SwarmPort | undefined {
    const existing = this.ports.get(swarmKey);
    const s = this.ctx.settings();
    const p = this.platform;
    const create = p.createNetwork;
    if (existing || !s.p2pEnabled || this.failed || !create) return existing;
    try {
      if (!p.RTCPeerConnection || !p.WebSocket) throw new Error('WebRTC/WebSocket unavailable');
      this.network ??= create({
        RTCPeerConnection: p.RTCPeerConnection,
        WebSocket: p.WebSocket,
        now: () => this.ctx.clock.now(),
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
        maxUploads: s.p2pMaxUploads,
      });
      swarm.setUploadSource((segmentId) => this.ctx.store.read(swarmKey, segmentId));
      this.subscribe(swarmKey, swarm);
      const port = swarmPort(swarm);
      this.live.set(swarmKey, { swarm, port });
      this.ports.set(swarmKey, port);
      for (const id of this.ctx.store.idsOf(swarmKey)) swarm.announceHave(id);
      return port;
    } catch (e) {
      this.failed = true;
      this.ctx.events.warning(`swarmcast: P2P unavailable, HTTP only (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }

  swarm(swarmKey: string): SwarmPort | undefined {
    return this.ports.get(swarmKey);
  }

  leave(swarmKey: string): void {
    this.live.get(swarmKey)?.swarm.destroy();
    this.live.delete(swarmKey);
    this.ports.delete(swarmKey);
  }

  swarms(): ReadonlyMap<string, SwarmPort> {
    return this.ports;
  }

  p2pAvailable(): boolean {
    return !this.failed;
  }

  pollProgress(): void {
    /* bytes are pushed to the sinks as they arrive */
  }

  applySettings(): void {
    const s = this.ctx.settings();
    if (!s.p2pEnabled) {
      this.leaveAll();
      return;
    }
    for (const { swarm } of this.live.values()) {
      swarm.setUploadEnabled(s.uploadEnabled && !s.consumeOnly);
      swarm.setUploadRate(s.uploadRateBytesPerSec);
    }
  }

  destroy(): void {
    this.leaveAll();
    this.verifier?.destroy();
  }

  private leaveAll(): void {
    for (const key of [...this.live.keys()]) this.leave(key);
    this.network?.destroy();
    this.network = undefined;
  }

  private subscribe(swarmKey: string, swarm: Swarm): void {
    const { events } = this.ctx;
    swarm.on('peer-connect', (p) => events.peerConnect(swarmKey, p.id));
    swarm.on('peer-close', (peerId, reason) => events.peerClose(swarmKey, peerId, reason));
    swarm.on('peer-update', () => events.peerUpdate(swarmKey));
    swarm.on('peer-refused', (peerId, reason) => events.peerRefused(swarmKey, peerId, reason));
    swarm.on('bytes-uploaded', (peerId, bytes) => events.bytesUploaded(swarmKey, peerId, bytes));
    swarm.on('tracker-error', (url, message) => events.trackerError(url, message));
    swarm.on('tracker-warning', (url, message) => events.trackerWarning(url, message));
  }
}
