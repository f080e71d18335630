import type { SwarmcastError } from '../errors.js';
import type { PeerSpan } from '../integrity/spot-check.js';
import type { PlanLoad, PlanReason } from '../scheduler/types.js';
import type { StreamState } from '../streams.js';
import type { SwarmPort, Transfer, TransferSink, Transport } from '../transport/types.js';
import type { LoadOptions, SegmentDescriptor, SegmentSource } from '../types.js';

/** What a player's request receives: the segment's bytes, shared with the store (read only). */
export interface Delivery {
  bytes: Uint8Array;
  source: SegmentSource;
  /** Set when the last bytes came from a peer. */
  peerId: string | undefined;
  requestStartMs: number;
  firstByteMs: number;
  endMs: number;
}

/** A player's pending request for a segment. */
export interface Waiter {
  opts: LoadOptions;
  requestStartMs: number;
  resolve: (d: Delivery) => void;
  reject: (e: SwarmcastError) => void;
}

/** What a Load needs from the lifecycle that owns it. */
export interface LoadHost {
  readonly transport: Transport;
  httpRangeResume(): boolean;
  now(): number;
  onBytes(load: Load, source: 'http' | 'p2p', bytes: number, peerId: string | undefined): void;
  /** All bytes are in (not yet checked). */
  onComplete(load: Load): void;
  /** The current source failed; `error.type` tells why (a `peer-…` type for a peer). */
  onFail(load: Load, error: SwarmcastError, peerId: string | undefined): void;
}

/**
 * One segment download that may switch source mid-way: bytes accumulate in `parts` whatever their origin, so a P2P
 * transfer cut at byte N continues over HTTP Range from N (and a partial HTTP one from a peer).
 */
export class Load {
  readonly parts: Uint8Array[] = [];
  received = 0;
  /** Bytes of `parts` that came from peers (the rest came over HTTP). */
  p2pBytes = 0;
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
  /** All bytes are in and being checked (the origin's word on peer bytes may take a round trip): not re-planned. */
  checking = false;
  /** Which check is current: a verdict for an earlier one (its bytes since thrown away) is not acted on. */
  checkTicket = 0;
  /** Aborts the current check's origin requests when its bytes are thrown away. */
  private checkAbort: AbortController | undefined;
  /** Peers that contributed bytes (banned together if the segment fails its checks). */
  readonly peers = new Set<string>();
  /** Which bytes of `parts` each peer sent (the spot check looks inside them when HTTP sent the rest). */
  readonly spans: PeerSpan[] = [];
  readonly waiters = new Set<Waiter>();
  private gen = 0;
  private transfer: Transfer | undefined;

  constructor(
    private readonly host: LoadHost,
    readonly stream: StreamState,
    readonly key: string,
    readonly segment: SegmentDescriptor,
  ) {}

  get active(): boolean {
    return this.source !== undefined;
  }

  /** Bytes from `peerId` are held, or are on their way (a transfer from it in flight). */
  involves(peerId: string): boolean {
    return this.peers.has(peerId) || (this.source === 'p2p' && this.peerId === peerId);
  }

  /** A new check of the bytes held: returns its ticket and the signal that ends it early. */
  beginCheck(): { ticket: number; signal: AbortSignal } {
    this.checkAbort?.abort();
    this.checking = true;
    this.checkAbort = new AbortController();
    return { ticket: ++this.checkTicket, signal: this.checkAbort.signal };
  }

  /** No check is current any more; one still running is aborted and its verdict will be ignored. */
  endCheck(): void {
    this.checking = false;
    this.checkTicket++;
    this.checkAbort?.abort();
    this.checkAbort = undefined;
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

  /**
   * The segment so far in one buffer. One part covering everything is returned as it is, without a copy; several
   * are joined once and kept joined.
   */
  data(): Uint8Array {
    const only = this.parts.length === 1 ? this.parts[0] : undefined;
    if (only?.byteLength === this.received) return only;
    const out = new Uint8Array(this.received);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    this.parts.splice(0, this.parts.length, out);
    return out;
  }

  /** Forgets the bytes (failed checks, a server without Range support); returns how many there were. */
  reset(): number {
    const dropped = this.received;
    this.parts.length = 0;
    this.received = 0;
    this.p2pBytes = 0;
    this.spans.length = 0;
    this.peers.clear();
    this.totalBytes = undefined;
    return dropped;
  }

  startHttp(reason: PlanReason): void {
    if (!this.host.httpRangeResume() && this.received > 0) this.reset();
    const gen = this.begin('http', reason);
    this.peerId = undefined;
    if (this.totalBytes !== undefined && this.received >= this.totalBytes) {
      // A peer already delivered everything before being cut off: nothing left to ask the server for.
      queueMicrotask(() => gen === this.gen && this.finish());
      return;
    }
    const request = { url: this.segment.url, byteRange: this.segment.byteRange, fromByte: this.received };
    this.transfer = this.host.transport.http(request, this.sink(gen, 'http', undefined));
  }

  startP2P(swarm: SwarmPort, peerId: string, reason: PlanReason): void {
    const gen = this.begin('p2p', reason);
    this.peerId = peerId;
    this.transfer = swarm.download(peerId, this.segment.id, this.received, this.sink(gen, 'p2p', peerId));
  }

  /** Stops the current source, keeping the bytes received so far. */
  stop(): void {
    const transfer = this.transfer;
    this.transfer = undefined;
    transfer?.cancel(); // hands over what arrived before it returns
    this.gen++;
    this.source = undefined;
  }

  private begin(source: 'http' | 'p2p', reason: PlanReason): number {
    this.source = source;
    this.reason = reason;
    this.startedMs = this.lastDataMs = this.host.now();
    this.sourceBytes = 0;
    return ++this.gen;
  }

  private sink(gen: number, source: 'http' | 'p2p', peerId: string | undefined): TransferSink {
    const from = this.received;
    return {
      data: (chunk, total) => {
        if (gen !== this.gen) return;
        this.totalBytes ??= total;
        this.append(chunk, source, peerId);
      },
      done: (whole) => {
        if (gen !== this.gen) return;
        // The whole segment came in this one transfer, already in one buffer: keep that instead of the chunks.
        if (whole && from === 0 && whole.byteLength === this.received) this.parts.splice(0, this.parts.length, whole);
        this.finish();
      },
      fail: (error) => {
        if (gen !== this.gen) return;
        this.transfer = undefined;
        this.source = undefined;
        this.host.onFail(this, error, peerId);
      },
    };
  }

  private append(chunk: Uint8Array, source: 'http' | 'p2p', peerId: string | undefined): void {
    if (chunk.byteLength === 0) return;
    const last = this.parts[this.parts.length - 1];
    // Consecutive views of one buffer stay one part (a transport that hands out views saves the final copy).
    if (last?.buffer === chunk.buffer && last.byteOffset + last.byteLength === chunk.byteOffset)
      this.parts[this.parts.length - 1] = new Uint8Array(
        last.buffer,
        last.byteOffset,
        last.byteLength + chunk.byteLength,
      );
    else this.parts.push(chunk);
    this.received += chunk.byteLength;
    this.sourceBytes += chunk.byteLength;
    if (peerId) {
      this.peers.add(peerId);
      this.p2pBytes += chunk.byteLength;
      const span = this.spans[this.spans.length - 1];
      const at = this.received - chunk.byteLength;
      if (span?.peerId === peerId && span.end === at) span.end = this.received;
      else this.spans.push({ start: at, end: this.received, peerId });
    }
    this.lastDataMs = this.host.now();
    this.firstByteMs ??= this.lastDataMs;
    this.host.onBytes(this, source, chunk.byteLength, peerId);
    for (const w of this.waiters) w.opts.onProgress?.(this.received, this.totalBytes);
  }

  private finish(): void {
    this.finishedVia = { source: this.source ?? 'http', peerId: this.peerId };
    this.transfer = undefined;
    this.source = undefined;
    this.host.onComplete(this);
  }
}
