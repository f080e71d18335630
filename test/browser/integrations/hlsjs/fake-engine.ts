/**
 * A small in-page stand-in for the swarmcast engine: records what the integration describes and answers
 * `loadSegment` the way a test asks (real fetch, instant "peer" delivery, or never).
 */
import type {
  EngineStats,
  LoadOptions,
  LoadResult,
  PlaybackState,
  SegmentDescriptor,
  StreamDescriptor,
} from '../../../../core/index.js';
import { SwarmcastError, renditionKey } from '../../../../core/index.js';
import type { EngineLike } from '../../../../integrations/hlsjs/index.js';

export type FakeMode = 'fetch' | 'instant-p2p' | 'hang' | 'http-error';

export class FakeEngine implements EngineLike {
  mode: FakeMode = 'fetch';
  contents: { manifestUrl: string; swarmId?: string }[] = [];
  streams: StreamDescriptor[] = [];
  segments = new Map<string, Map<string, SegmentDescriptor>>();
  active: string[] = [];
  playback: PlaybackState[] = [];
  loads: { streamId: string; segmentId: string; source?: string; playerTimeoutMs?: number }[] = [];
  aborted = 0;
  destroyed = false;
  /** bytes/s returned by estimateBandwidthBytesPerSec (undefined = no estimate yet). */
  estimate: number | undefined = undefined;
  /** When set, real fetches measure the HTTP rate and become the estimate (like the real engine's). */
  measure = false;

  setContent(content: { manifestUrl: string; swarmId?: string }): void {
    this.contents.push(content);
    this.streams = [];
    this.segments.clear();
  }

  /** Like the engine's: the same rendition (type and attributes) always gets the same id. */
  addStream(stream: StreamDescriptor): string {
    const key = renditionKey(stream.type, stream.rendition);
    const at = this.streams.findIndex((s) => renditionKey(s.type, s.rendition) === key);
    if (at >= 0) return String(at + 1);
    this.streams.push(stream);
    return String(this.streams.length);
  }

  applySettings(): void {
    // Runtime settings are not simulated.
  }

  updateSegments(streamId: string, segments: readonly SegmentDescriptor[]): void {
    const map = this.segments.get(streamId) ?? new Map<string, SegmentDescriptor>();
    for (const s of segments) map.set(s.id, s);
    this.segments.set(streamId, map);
  }

  setActiveStream(streamId: string): void {
    this.active.push(streamId);
  }

  updatePlayback(playback: PlaybackState): void {
    this.playback.push(playback);
  }

  on(): void {
    // Events are not simulated.
  }

  off(): void {
    // Events are not simulated.
  }

  getStats(): EngineStats {
    return {
      httpBytes: 0,
      p2pBytes: 0,
      cacheBytes: 0,
      uploadedBytes: 0,
      discardedBytes: 0,
      p2pAvailable: true,
      p2pRatio: 0,
      peersBySwarm: {},
      peers: [],
      httpBandwidthBytesPerSec: this.estimate,
      storedBytes: 0,
      integrity: {
        verified: 0,
        failed: 0,
        forged: 0,
        byMethod: { 'hash-list': 0, 'spot-check': 0 },
        cdnBytes: 0,
        cdnRequests: 0,
      },
    };
  }

  estimateBandwidthBytesPerSec(): number | undefined {
    return this.estimate;
  }

  destroy(): void {
    this.destroyed = true;
  }

  async loadSegment(streamId: string, segmentId: string, opts: LoadOptions = {}): Promise<LoadResult> {
    const seg = this.segments.get(streamId)?.get(segmentId);
    if (!seg) throw new SwarmcastError('unknown-segment', `unknown ${streamId}/${segmentId}`);
    const entry: (typeof this.loads)[number] = { streamId, segmentId, playerTimeoutMs: opts.playerTimeoutMs };
    this.loads.push(entry);
    const requestStartMs = performance.now();
    if (this.mode === 'hang' || this.mode === 'http-error') {
      return new Promise<LoadResult>((_resolve, reject) => {
        if (this.mode === 'http-error') {
          setTimeout(() => {
            reject(new SwarmcastError('http-error', 'HTTP 404', 404));
          }, 10);
        }
        opts.signal?.addEventListener('abort', () => {
          this.aborted++;
          reject(new SwarmcastError('aborted', 'aborted'));
        });
      });
    }
    const headers: Record<string, string> = seg.byteRange
      ? { Range: `bytes=${seg.byteRange.start}-${seg.byteRange.end - 1}` }
      : {};
    const response = await fetch(seg.url, { headers, ...(opts.signal ? { signal: opts.signal } : {}) });
    const firstByteMs = performance.now();
    const data = await response.arrayBuffer();
    const elapsedSec = (performance.now() - requestStartMs) / 1000;
    if (this.measure && data.byteLength > 16000) {
      const rate = data.byteLength / elapsedSec;
      this.estimate = this.estimate === undefined ? rate : 0.7 * this.estimate + 0.3 * rate;
    }
    opts.onProgress?.(data.byteLength, data.byteLength);
    const source = this.mode === 'fetch' ? 'http' : 'p2p';
    entry.source = source;
    // "instant-p2p": pretend the bytes arrived from a peer right after the request (the real fetch time is
    // hidden), which is what would fool an ABR fed with raw timings.
    const timing =
      source === 'http'
        ? { requestStartMs, firstByteMs, endMs: performance.now() }
        : { requestStartMs, firstByteMs: requestStartMs + 1, endMs: requestStartMs + 2 };
    return { data, source, timing, bytes: data.byteLength, ...(source === 'p2p' ? { peerId: 'fake-peer' } : {}) };
  }
}
