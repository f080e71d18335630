/**
 * Contract between the engine (scheduler, storage, HTTP — `core/*`) and the P2P layer (`core/p2p/*`).
 * The P2P layer knows swarms, peers, the tracker and the wire protocol; it knows nothing about playback,
 * HTTP or storage policy. The engine decides what to fetch from whom; the P2P layer moves the bytes.
 */

/** Engine-independent segment id (see core/ids.ts). Opaque to the P2P layer; at most 255 UTF-8 bytes. */
export type SegmentId = string;

/** Platform pieces the P2P layer needs; browsers pass their globals, Node passes `@roamhq/wrtc` and `ws`. */
export interface P2PPlatform {
  RTCPeerConnection: typeof RTCPeerConnection;
  WebSocket: typeof WebSocket;
  /** Milliseconds, monotonic. Injected so tests can run on a fake clock. */
  now: () => number;
  random: () => number;
}

export interface SwarmOptions {
  /**
   * Versioned, human-readable swarm key (e.g. `swarmcast:v1|<contentId>|<renditionKey>`); the tracker
   * info_hash is the SHA-1 of it, so two peers meet only when the key (version included) is identical.
   */
  swarmKey: string;
  trackerUrls: readonly string[];
  rtcConfig: RTCConfiguration;
  /** Peers kept per swarm; further offers/answers are declined. */
  maxPeers: number;
  /** Offers sent per tracker announce (`numwant`). */
  offersPerAnnounce: number;
  /** Largest wire message sent or accepted; bigger incoming messages drop the peer. */
  maxMessageBytes: number;
  /** Serve requests from other peers. Runtime-changeable through `setUploadEnabled`. */
  uploadEnabled: boolean;
  /** Upload cap for this swarm in bytes/s; 0 = unlimited. */
  uploadRateBytesPerSec: number;
  /**
   * Peers this swarm uploads to at once; a request from a further peer that understands BUSY is answered BUSY, so
   * it asks another holder instead of sharing a saturated uplink. A peer already served may queue more. 0 = no limit.
   */
  maxUploads: number;
}

/** What the engine sees of one connected (handshake complete) peer. */
export interface PeerInfo {
  readonly id: string;
  /** Measured download throughput from this peer, bytes/s; undefined until measured. */
  readonly throughputBytesPerSec: number | undefined;
  /** Segments the peer announced it holds. */
  has(segmentId: SegmentId): boolean;
  /** Segments the peer announced it is fetching over HTTP right now. */
  isLoading(segmentId: SegmentId): boolean;
  /** Number of our requests to this peer currently in flight. */
  readonly pendingDownloads: number;
}

export interface PeerDownloadProgress {
  /** Bytes received so far, counted from `fromByte` of the request. */
  receivedBytes: number;
  /** Full segment size when the peer told it, else undefined. */
  totalBytes: number | undefined;
  /** The bytes this call reports, when the implementation provides them (read-only: also kept by the download). */
  chunk?: Uint8Array;
}

/** One request to one peer. Exactly one of resolve / reject happens; `cancel()` rejects with type `aborted`. */
export interface PeerDownload {
  readonly peerId: string;
  readonly segmentId: SegmentId;
  readonly fromByte: number;
  /** Resolves with bytes [fromByte, end) of the segment. */
  readonly result: Promise<Uint8Array>;
  /** Called on every chunk. */
  onProgress: ((progress: PeerDownloadProgress) => void) | undefined;
  /** Bytes received so far (also available after a failure, to resume over HTTP from fromByte+receivedBytes). */
  readonly receivedBytes: number;
  /** The chunks received so far, concatenated. Valid after failure too. */
  receivedData(): Uint8Array;
  cancel(): void;
}

export type PeerDownloadErrorType =
  | 'aborted' // cancelled by us
  | 'absent' // the peer does not have it (any more)
  | 'busy' // the peer has it but serves as many uploads as it will: ask another holder
  | 'peer-closed' // connection lost mid-transfer
  | 'protocol-error'; // malformed data; the peer has been dropped

export interface PeerDownloadError extends Error {
  type: PeerDownloadErrorType;
}

/**
 * A peer's claim that did not hold. 'absent-after-have' and 'loading-expired' are detected by the P2P layer itself;
 * the engine reports 'stalled' (no bytes for p2pStallTimeoutMs) and 'too-slow' (cut over to HTTP for the deadline).
 */
export type PeerOffence = 'absent-after-have' | 'loading-expired' | 'stalled' | 'too-slow';

/** Serves other peers' requests: the engine returns stored bytes or undefined. */
export type UploadSource = (segmentId: SegmentId) => Promise<Uint8Array | undefined>;

export interface SwarmEventMap {
  'peer-connect': (peer: PeerInfo) => void;
  'peer-close': (peerId: string, reason: string) => void;
  /** A peer's have/loading set changed. */
  'peer-update': (peer: PeerInfo) => void;
  'bytes-downloaded': (peerId: string, bytes: number) => void;
  'bytes-uploaded': (peerId: string, bytes: number) => void;
  'tracker-error': (trackerUrl: string, message: string) => void;
  'tracker-warning': (trackerUrl: string, message: string) => void;
  /** Handshake refused because of an incompatible protocol version. */
  'peer-refused': (peerId: string, reason: string) => void;
  /**
   * A peer's claim did not hold: its have/loading announcements are not believed until `untilMs` (platform clock).
   * A third offence within CONDUCT.strikeMemoryMs bans it instead (`peer-close` with the reason).
   */
  'peer-penalized': (peerId: string, offence: PeerOffence, untilMs: number) => void;
}

export interface Swarm {
  readonly options: Readonly<SwarmOptions>;
  /** Hex SHA-1 of the swarm key; empty until the (asynchronous) digest is done, a few ms after `createSwarm`. */
  readonly infoHashHex: string;
  readonly peerId: string;
  /** Connected peers with a completed handshake. */
  peers(): readonly PeerInfo[];
  /** Peers that announced `segmentId`, fastest first. */
  whoHas(segmentId: SegmentId): readonly PeerInfo[];
  /**
   * Connections being set up with a known remote peer (an answer came or was sent), not yet handshaken; plus one
   * in the first JOIN_WINDOW_MS after joining, while the tracker may still count others, whose peers are expected.
   */
  connectingPeers(): number;
  /** Viewers in the swarm, us included: the most any tracker counted, at least our connected peers + 1. */
  swarmSize(): number;
  /** Peers fetching `segmentId`, over HTTP or from a peer (announced "loading"). */
  whoIsLoading(segmentId: SegmentId): readonly PeerInfo[];
  /** Incremental announcements to all peers. */
  announceHave(segmentId: SegmentId): void;
  announceLoading(segmentId: SegmentId): void;
  announceRemoved(segmentId: SegmentId): void;
  /** No longer fetching `segmentId`: retracts a "loading" announcement, leaves a "have" alone. */
  withdrawLoading(segmentId: SegmentId): void;
  /** Ask `peerId` for bytes [fromByte, end) of `segmentId`. */
  download(peerId: string, segmentId: SegmentId, fromByte: number): PeerDownload;
  /** Drop the peer and never accept it again in this swarm. */
  banPeer(peerId: string, reason: string): void;
  /**
   * Reports a peer whose claim did not hold ('stalled', 'too-slow'; the swarm detects 'absent-after-have' and
   * 'loading-expired' itself): its has()/isLoading() answer false for 15 s, then 30 s, and a third offence within
   * 120 s bans it (see core/p2p/conduct.ts). Optional in this contract so engine test doubles need not have it;
   * the real swarm always does.
   */
  penalize(peerId: string, offence: PeerOffence): void;
  setUploadSource(source: UploadSource): void;
  setUploadEnabled(enabled: boolean): void;
  setUploadRate(bytesPerSec: number): void;
  on<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void;
  off<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void;
  destroy(): void;
}

/**
 * One per engine: owns the peer id and the tracker sockets (one per tracker URL, shared by every swarm).
 * Created by `createP2PNetwork(platform)` exported from `core/p2p/index.ts`.
 */
export interface P2PNetwork {
  /** 20-character latin1 peer id used with trackers. */
  readonly peerId: string;
  createSwarm(options: SwarmOptions): Swarm;
  destroy(): void;
}
