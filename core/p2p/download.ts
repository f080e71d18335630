import type {
  PeerDownload,
  PeerDownloadError,
  PeerDownloadErrorType,
  PeerDownloadProgress,
  SegmentId,
} from './types.js';
import { ProtocolError } from './wire.js';

export function downloadError(type: PeerDownloadErrorType, message: string): PeerDownloadError {
  return Object.assign(new Error(message), { type });
}

/** One outgoing request. The peer feeds it DATA frames; it validates them and settles exactly once. */
export class Download implements PeerDownload {
  readonly result: Promise<Uint8Array>;
  onProgress: ((progress: PeerDownloadProgress) => void) | undefined;
  receivedBytes = 0;
  totalBytes: number | undefined;
  settled = false;
  /** The peer had announced `have` for the segment when we asked (an ABSENT answer is then a lie). */
  claimedHave = false;
  private chunks: Uint8Array[] = [];
  private resolve!: (data: Uint8Array) => void;
  private reject!: (e: PeerDownloadError) => void;

  constructor(
    readonly peerId: string,
    readonly segmentId: SegmentId,
    readonly fromByte: number,
    readonly requestId: number,
    private readonly onCancel: (d: Download) => void,
  ) {
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Engines that only watch progress must not get an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** Applies one DATA frame; returns true when the segment is complete. Throws ProtocolError on inconsistent data. */
  push(totalBytes: number, offset: number, chunk: Uint8Array): boolean {
    if (this.totalBytes !== undefined && totalBytes !== this.totalBytes) throw new ProtocolError('total size changed');
    if (offset !== this.fromByte + this.receivedBytes) throw new ProtocolError('DATA out of order');
    if (offset + chunk.length > totalBytes) throw new ProtocolError('DATA beyond total size');
    this.totalBytes = totalBytes;
    // Kept as a view, not copied: every message event carries its own fresh ArrayBuffer, nobody else writes it.
    // Empty chunks are only legal as the sole answer at the end of a segment; never keep them.
    if (chunk.length > 0) this.chunks.push(chunk);
    this.receivedBytes += chunk.length;
    try {
      this.onProgress?.({ receivedBytes: this.receivedBytes, totalBytes, chunk });
    } catch {
      // An engine callback failing is not the peer's fault.
    }
    if (offset + chunk.length < totalBytes) return false;
    this.settled = true;
    this.resolve(this.receivedData());
    return true;
  }

  receivedData(): Uint8Array {
    if (this.chunks.length > 1) {
      const all = new Uint8Array(this.receivedBytes);
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }

  fail(type: PeerDownloadErrorType, message: string): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(downloadError(type, message));
  }

  cancel(): void {
    if (this.settled) return;
    this.fail('aborted', 'cancelled');
    this.onCancel(this);
  }
}

/**
 * Download rate from one peer: an exponential moving average over ≥100 ms windows of chunk arrivals, counting only
 * time during which at least one request to the peer was in flight (idle time says nothing about the link).
 */
export class ThroughputMeter {
  value: number | undefined;
  private windowBytes = 0;
  private windowMs = 0;
  private lastAt = 0;

  constructor(private readonly now: () => number) {}

  /** Call when a request starts while none was in flight. */
  activate(): void {
    this.lastAt = this.now();
  }

  /** `final`: a transfer just completed, so close the window even if short (fast links finish in < 100 ms). */
  sample(bytes: number, final = false): void {
    const t = this.now();
    this.windowMs += t - this.lastAt;
    this.windowBytes += bytes;
    this.lastAt = t;
    if (this.windowMs < (final ? 1 : 100)) return;
    const rate = (this.windowBytes * 1000) / this.windowMs;
    this.value = this.value === undefined ? rate : this.value * 0.7 + rate * 0.3;
    this.windowBytes = 0;
    this.windowMs = 0;
  }
}
