/** In-memory fakes of the P2P contract (core/p2p/types.ts) for engine and scheduler tests. */
import type {
  P2PNetwork,
  PeerDownload,
  PeerDownloadProgress,
  PeerInfo,
  PeerOffence,
  Swarm,
  SwarmEventMap,
  SwarmOptions,
  UploadSource,
} from '../../../core/p2p/types.js';

export class FakePeer implements PeerInfo {
  readonly haves = new Set<string>();
  readonly loading = new Set<string>();
  pendingDownloads = 0;
  throughputBytesPerSec: number | undefined;
  constructor(
    readonly id: string,
    throughputBytesPerSec?: number,
  ) {
    this.throughputBytesPerSec = throughputBytesPerSec;
  }
  has(id: string): boolean {
    return this.haves.has(id);
  }
  isLoading(id: string): boolean {
    return this.loading.has(id);
  }
}

/** A download the test drives by hand: push chunks, then finish or fail. */
export class FakeDownload implements PeerDownload {
  onProgress: ((progress: PeerDownloadProgress) => void) | undefined;
  readonly result: Promise<Uint8Array>;
  cancelled = false;
  private chunks: Uint8Array[] = [];
  private settle!: { resolve: (d: Uint8Array) => void; reject: (e: Error) => void };
  constructor(
    readonly peerId: string,
    readonly segmentId: string,
    readonly fromByte: number,
    public totalBytes?: number,
  ) {
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => undefined);
  }
  get receivedBytes(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
  receivedData(): Uint8Array {
    const out = new Uint8Array(this.receivedBytes);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.byteLength;
    }
    return out;
  }
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.onProgress?.({ receivedBytes: this.receivedBytes, totalBytes: this.totalBytes });
  }
  finish(): void {
    this.settle.resolve(this.receivedData());
  }
  fail(type: string): void {
    this.settle.reject(Object.assign(new Error(type), { type }));
  }
  cancel(): void {
    this.cancelled = true;
    this.fail('aborted');
  }
}

export class FakeSwarm implements Swarm {
  readonly infoHashHex = '00';
  readonly peerId = 'self';
  readonly fakePeers: FakePeer[] = [];
  readonly downloads: FakeDownload[] = [];
  readonly announced: string[] = [];
  readonly banned: string[] = [];
  readonly penalized: string[] = [];
  uploadSource: UploadSource | undefined;
  uploadEnabled = true;
  destroyed = false;
  /** Called for every new download so a test can serve it automatically. */
  onDownload: ((d: FakeDownload) => void) | undefined;
  private readonly listeners = new Map<string, Set<(...a: never[]) => void>>();
  constructor(readonly options: Readonly<SwarmOptions>) {}
  addPeer(peer: FakePeer): void {
    this.fakePeers.push(peer);
    this.fire('peer-connect', peer);
  }
  peers(): readonly PeerInfo[] {
    return this.fakePeers;
  }
  whoHas(id: string): readonly PeerInfo[] {
    return this.fakePeers.filter((p) => p.has(id));
  }
  whoIsLoading(id: string): readonly PeerInfo[] {
    return this.fakePeers.filter((p) => p.isLoading(id));
  }
  /** Connections a test says are being set up. */
  connecting = 0;
  connectingPeers(): number {
    return this.connecting;
  }
  /** Viewers a test says the tracker counted (us included); at least the fake peers + 1. */
  counted = 0;
  swarmSize(): number {
    return Math.max(this.fakePeers.length + 1, this.counted);
  }
  /** Ids announced "loading" and not since had, removed or withdrawn (the real Swarm's loading set). */
  private readonly loadingIds = new Set<string>();
  announceHave(id: string): void {
    this.loadingIds.delete(id);
    this.announced.push(`have:${id}`);
  }
  announceLoading(id: string): void {
    this.loadingIds.add(id);
    this.announced.push(`loading:${id}`);
  }
  announceRemoved(id: string): void {
    this.loadingIds.delete(id);
    this.announced.push(`removed:${id}`);
  }
  withdrawLoading(id: string): void {
    if (this.loadingIds.delete(id)) this.announced.push(`removed:${id}`);
  }
  download(peerId: string, segmentId: string, fromByte: number): PeerDownload {
    const d = new FakeDownload(peerId, segmentId, fromByte);
    this.downloads.push(d);
    queueMicrotask(() => this.onDownload?.(d));
    return d;
  }
  banPeer(peerId: string): void {
    this.banned.push(peerId);
    const i = this.fakePeers.findIndex((p) => p.id === peerId);
    if (i >= 0) this.fakePeers.splice(i, 1);
  }
  penalize(peerId: string, offence: PeerOffence): void {
    this.penalized.push(`${peerId}:${offence}`);
  }
  setUploadSource(source: UploadSource): void {
    this.uploadSource = source;
  }
  setUploadEnabled(enabled: boolean): void {
    this.uploadEnabled = enabled;
  }
  setUploadRate(): void {
    /* not modelled */
  }
  on<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }
  off<K extends keyof SwarmEventMap>(event: K, listener: SwarmEventMap[K]): void {
    this.listeners.get(event)?.delete(listener);
  }
  fire<K extends keyof SwarmEventMap>(event: K, ...args: Parameters<SwarmEventMap[K]>): void {
    for (const fn of this.listeners.get(event) ?? [])
      (fn as unknown as (...a: Parameters<SwarmEventMap[K]>) => void)(...args);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNetwork implements P2PNetwork {
  readonly peerId = 'self-peer-id-0000000';
  readonly swarms = new Map<string, FakeSwarm>();
  createSwarm(options: SwarmOptions): Swarm {
    const s = new FakeSwarm(options);
    this.swarms.set(options.swarmKey, s);
    return s;
  }
  destroy(): void {
    for (const s of this.swarms.values()) s.destroy();
  }
}

/** Deterministic RNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
