import { SwarmcastError } from './errors.js';
import { httpLoad } from './http/loader.js';
import type { PeerDownload, Swarm } from './p2p/types.js';
import type { PlanLoad, PlanReason } from './scheduler/plan.js';
import type { EngineSettings } from './settings.js';
import type { LoadOptions, LoadResult, SegmentDescriptor } from './types.js';

export interface Waiter {
  opts: LoadOptions;
  requestStartMs: number;
  resolve: (r: LoadResult) => void;
  reject: (e: SwarmcastError) => void;
}

/** What a Load needs from the engine. */
export interface LoadHost {
  readonly settings: EngineSettings;
  readonly fetch: typeof fetch;
  now(): number;
  onBytes(load: Load, source: 'http' | 'p2p', bytes: number, peerId?: string): void;
  /** All bytes are in (not yet validated). */
  onComplete(load: Load): void;
  /** The current source failed; `error.type` tells why. */
  onFail(load: Load, error: SwarmcastError, peerId?: string): void;
  /** The peer answered BUSY before sending anything: the load is idle again, to be re-planned. */
  onPeerBusy(load: Load, peerId: string): void;
}

/**
 * One segment download that may switch source mid-way: bytes accumulate in `parts` whatever their origin,
 * so a P2P transfer cut at byte N continues over HTTP Range from N (and a partial HTTP one from a peer).
 */
export class Load {
  readonly parts: Uint8Array[] = [];
  received = 0;
  totalBytes: number | undefined;
  source: 'http' | 'p2p' | undefined;
  peerId: string | undefined;
  reason: PlanReason = 'request';
  startedMs = 0;
  lastDataMs = 0;
  sourceBytes = 0;
  firstByteMs: number | undefined;
  /** Source and peer that delivered the last bytes (set when the load completes). */
  finishedVia: { source: 'http' | 'p2p'; peerId: string | undefined } | undefined;
  /** Peers that contributed bytes (banned together if validation fails). */
  readonly peers = new Set<string>();
  readonly waiters = new Set<Waiter>();
  private gen = 0;
  private ctrl: AbortController | undefined;
  private download: PeerDownload | undefined;

  constructor(
    private readonly host: LoadHost,
    readonly streamId: string,
    readonly key: string,
    readonly segment: SegmentDescriptor,
  ) {}

  get active(): boolean {
    return this.source !== undefined;
  }

  view(): PlanLoad {
    return {
      source: this.source ?? 'http',
      ...(this.peerId ? { peerId: this.peerId } : {}),
      reason: this.reason,
      startedMs: this.startedMs,
      lastDataMs: this.lastDataMs,
      sourceBytes: this.sourceBytes,
      receivedBytes: this.received,
      totalBytes: this.totalBytes,
    };
  }

  data(): Uint8Array {
    const only = this.parts.length === 1 ? this.parts[0] : undefined;
    // One part that owns its whole buffer (a peer's complete transfer): no copy needed.
    if (only?.byteLength === this.received && only.byteOffset === 0 && only.buffer.byteLength === this.received)
      return only;
    const out = new Uint8Array(this.received);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  }

  /** Forget the bytes (validation failure, server without Range support). */
  reset(): void {
    this.parts.length = 0;
    this.received = 0;
    this.peers.clear();
  }

  private begin(source: 'http' | 'p2p', reason: PlanReason): number {
    this.source = source;
    this.reason = reason;
    this.startedMs = this.lastDataMs = this.host.now();
    this.sourceBytes = 0;
    return ++this.gen;
  }

  private append(chunk: Uint8Array, source: 'http' | 'p2p', peerId?: string): void {
    if (chunk.byteLength === 0) return;
    this.parts.push(chunk);
    this.received += chunk.byteLength;
    this.sourceBytes += chunk.byteLength;
    this.lastDataMs = this.host.now();
    this.firstByteMs ??= this.lastDataMs;
    this.host.onBytes(this, source, chunk.byteLength, peerId);
    for (const w of this.waiters) w.opts.onProgress?.(this.received, this.totalBytes);
  }

  startHttp(reason: PlanReason): void {
    const s = this.host.settings;
    if (!s.httpRangeResume && this.received > 0) this.reset();
    const gen = this.begin('http', reason);
    this.peerId = undefined;
    if (this.totalBytes !== undefined && this.received >= this.totalBytes) {
      // A peer already delivered everything before being cut off: nothing left to ask the server for.
      queueMicrotask(() => gen === this.gen && this.finish());
      return;
    }
    const ctrl = (this.ctrl = new AbortController());
    httpLoad({
      url: this.segment.url,
      byteRange: this.segment.byteRange,
      fromByte: this.received,
      fetch: this.host.fetch,
      signal: ctrl.signal,
      ttfbTimeoutMs: s.httpTtfbTimeoutMs,
      noProgressTimeoutMs: s.httpNoProgressTimeoutMs,
      retries: s.httpRetries,
      retryDelayMs: s.httpRetryDelayMs,
      requestSetup: s.httpRequestSetup,
      onData: (chunk, total) => {
        if (gen !== this.gen) return;
        this.totalBytes ??= total;
        this.append(chunk, 'http');
      },
    }).then(
      () => gen === this.gen && this.finish(),
      (e: unknown) => gen === this.gen && this.fail(e as SwarmcastError),
    );
  }

  startP2P(swarm: Swarm, peerId: string, reason: PlanReason): void {
    const gen = this.begin('p2p', reason);
    this.peerId = peerId;
    const from = this.received;
    let seen = 0;
    const dl = (this.download = swarm.download(peerId, this.segment.id, from));
    // Chunks are taken as they arrive so a cut transfer keeps every byte it got. The progress chunk is used when
    // it covers exactly the new bytes (copying out of receivedData() on every chunk would be quadratic).
    const pull = (fresh?: Uint8Array): void => {
      if (gen !== this.gen || dl.receivedBytes <= seen) return;
      const chunk = fresh && seen + fresh.byteLength === dl.receivedBytes ? fresh : dl.receivedData().slice(seen);
      seen += chunk.byteLength;
      this.peers.add(peerId);
      this.append(chunk, 'p2p', peerId);
    };
    dl.onProgress = (p) => {
      if (gen !== this.gen) return;
      if (p.totalBytes !== undefined) this.totalBytes ??= p.totalBytes;
      pull(p.chunk);
    };
    dl.result.then(
      (bytes) => {
        if (gen !== this.gen) return;
        if (from === 0 && seen === bytes.byteLength && this.received === seen) {
          // The whole segment came in this transfer: its result is already the concatenation of our parts.
          this.parts.length = 0;
          this.parts.push(bytes);
        }
        if (bytes.byteLength > seen) {
          this.peers.add(peerId);
          this.append(bytes.subarray(seen), 'p2p', peerId);
        }
        this.finish();
      },
      (e: unknown) => {
        if (gen !== this.gen) return;
        pull();
        const type = (e as { type?: string }).type;
        if (type === 'busy') {
          this.ctrl = this.download = undefined;
          this.source = undefined;
          this.host.onPeerBusy(this, peerId);
          return;
        }
        this.fail(new SwarmcastError('network-error', `peer ${peerId}: ${type ?? String(e)}`), peerId);
      },
    );
  }

  /** Stop the current source, keeping the bytes received so far. */
  stop(): void {
    this.gen++;
    if (this.download && this.source === 'p2p') {
      const dl = this.download;
      if (dl.receivedBytes > this.sourceBytes && this.peerId) {
        this.append(dl.receivedData().slice(this.sourceBytes), 'p2p', this.peerId);
      }
      dl.cancel();
    }
    this.ctrl?.abort();
    this.ctrl = this.download = undefined;
    this.source = undefined;
  }

  private finish(): void {
    this.finishedVia = { source: this.source ?? 'http', peerId: this.peerId };
    this.ctrl = this.download = undefined;
    this.source = undefined;
    this.host.onComplete(this);
  }

  private fail(e: SwarmcastError, peerId?: string): void {
    this.ctrl = this.download = undefined;
    this.source = undefined;
    this.host.onFail(this, e, peerId);
  }
}
