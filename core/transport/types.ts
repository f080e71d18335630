/**
 * The transport port: where a segment's bytes come from (HTTP, peers) and what the engine tells the swarm. The
 * load lifecycle and the scheduler loop depend on this and on a Clock only, so the same code runs over the real
 * network (net.ts) and over a simulated one (bench:sim).
 */
import type { Clock } from '../clock.js';
import type { Verdict } from '../integrity/verdict.js';
import type { PeerSpan } from '../integrity/spot-check.js';
import type { SwarmcastError } from '../errors.js';
import type { PeerInfo } from '../p2p/types.js';
import type { EngineSettings } from '../settings.js';
import type { ByteRange } from '../types.js';

/** Receives one transfer's outcome. Exactly one of done / fail ends it, unless it is cancelled first. */
export interface TransferSink {
  /** Bytes in order from the requested offset; `totalBytes` is the whole segment's size once known. */
  data(chunk: Uint8Array, totalBytes: number | undefined): void;
  /** `whole`: every byte of this transfer in one buffer, when the transport has them so (spares a copy). */
  done(whole?: Uint8Array): void;
  /** Why the source failed; peer failures carry a `peer-…` type, HTTP ones `http-error`, `timeout`, `network-error`. */
  fail(error: SwarmcastError): void;
}

/** A transfer in flight. `cancel()` hands every byte already received to the sink, then stops it silently. */
export interface Transfer {
  cancel(): void;
}

/** One HTTP request for a segment, or its tail from `fromByte` (relative to the segment's start). */
export interface HttpTransferRequest {
  url: string;
  byteRange: ByteRange | undefined;
  fromByte: number;
}

/** One swarm as the engine uses it. */
export interface SwarmPort {
  /** Our peer id in this swarm. */
  readonly peerId: string;
  /** Connected peers (handshake complete). */
  peers(): readonly PeerInfo[];
  /** Connections being set up (see Swarm.connectingPeers). */
  connectingPeers(): number;
  /** Viewers in the swarm, us included, as the trackers counted them (at least peers + 1). */
  swarmSize(): number;
  announceHave(segmentId: string): void;
  announceLoading(segmentId: string): void;
  announceRemoved(segmentId: string): void;
  /** No longer fetching it: retracts a "loading" announcement, leaves a "have" alone. */
  withdrawLoading(segmentId: string): void;
  /** Bytes [fromByte, end) of `segmentId` from `peerId`. */
  download(peerId: string, segmentId: string, fromByte: number, sink: TransferSink): Transfer;
  /** Drops the peer and never accepts it again in this swarm. */
  banPeer(peerId: string, reason: string): void;
  /** The peer let us down (stalled, or too slow to finish in time): its claims are ignored a while; repeats drop it. */
  penalize(peerId: string, offence: 'stalled' | 'too-slow'): void;
}

/** A segment a peer delivered, to be vouched for by the origin (see core/integrity). */
export interface VerifyRequest {
  url: string;
  byteRange: ByteRange | undefined;
  manifestUrl: string;
  hashListUrl: string | undefined;
  live: boolean;
  /** Which bytes each peer sent, when the copy is pieced from several sources. */
  peerSpans?: readonly PeerSpan[];
}

export interface Transport {
  http(request: HttpTransferRequest, sink: TransferSink): Transfer;
  /**
   * Checks bytes a peer delivered against the origin (hash list or spot check, by the `integrity` setting).
   * Never rejects; a check that cannot conclude fails without blame.
   */
  verify(request: VerifyRequest, bytes: Uint8Array, signal?: AbortSignal): Promise<Verdict>;
  /** Joins the swarm (idempotent); undefined when P2P is off or unavailable. */
  join(swarmKey: string): SwarmPort | undefined;
  swarm(swarmKey: string): SwarmPort | undefined;
  leave(swarmKey: string): void;
  /** Swarms joined, by swarm key. */
  swarms(): ReadonlyMap<string, SwarmPort>;
  /** False once P2P proved unusable here (no WebRTC, the network failed to start): HTTP only from then on. */
  p2pAvailable(): boolean;
  /**
   * Called before each plan: a transport that learns its transfers' progress by looking (the simulator's fluid
   * transfers) hands the bytes moved so far to their sinks. One that pushes bytes as they arrive does nothing.
   */
  pollProgress(): void;
  /** Settings changed at runtime (upload switches and caps; p2pEnabled false leaves every swarm). */
  applySettings(): void;
  destroy(): void;
}

/** What a transport reports to the engine. */
export interface TransportObserver {
  peerConnect(swarmKey: string, peerId: string): void;
  peerClose(swarmKey: string, peerId: string, reason: string): void;
  /** A peer's have/loading announcements changed: worth re-planning. */
  peerUpdate(swarmKey: string): void;
  /** A peer was turned away at handshake (incompatible protocol version). */
  peerRefused(swarmKey: string, peerId: string, reason: string): void;
  bytesUploaded(swarmKey: string, peerId: string, bytes: number): void;
  trackerError(trackerUrl: string, message: string): void;
  trackerWarning(trackerUrl: string, message: string): void;
  warning(message: string): void;
}

/** What the engine hands a transport when it creates it. */
export interface TransportContext {
  settings(): Readonly<EngineSettings>;
  clock: Clock;
  /** What may be served to peers: complete segments that passed their checks, nothing else. */
  store: {
    read(swarmKey: string, segmentId: string): Promise<Uint8Array | undefined>;
    has(swarmKey: string, segmentId: string): boolean;
    idsOf(swarmKey: string): readonly string[];
  };
  events: TransportObserver;
}

export type TransportFactory = (context: TransportContext) => Transport;
