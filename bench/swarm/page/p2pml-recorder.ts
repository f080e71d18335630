/**
 * The bench's view of a P2P Media Loader viewer, from the outside only: its core's public events (segment started
 * and loaded, chunks down and up, peers) and hls.js's fragment events. It fills the same record as a swarmcast
 * viewer's engine (common.ts), so both passes are summed by the same code.
 *
 * A player load's source: the download that completed after hls.js asked for the fragment (`http`, `p2p`), one that
 * completed before (`cache`: P2P Media Loader had it stored), or none at all: P2P Media Loader hands fragments it
 * does not know to hls.js's own loader, which is HTTP the core never counts, so it is counted here.
 */
import { Events, type Fragment, type FragLoadedData, type FragLoadingData, type LevelUpdatedData } from 'hls.js';
import type Hls from 'hls.js';
import type { CoreEventMap } from 'p2p-media-loader-core';
import type { IntegrityStats, SegmentSource } from '../../../core/index.js';
import type { DownloadSample, LoadSample } from '../protocol.js';
import type { ViewerRecorder } from './common.js';

/** What the recorder reads of P2P Media Loader's engine (`hls.p2pEngine`). */
export interface P2pmlEvents {
  addEventListener<K extends keyof CoreEventMap>(eventName: K, listener: CoreEventMap[K]): void;
}

/** P2P Media Loader checks nothing by default: the integrity figures stay at zero. */
const NO_INTEGRITY: IntegrityStats = {
  verified: 0,
  failed: 0,
  forged: 0,
  byMethod: { 'hash-list': 0, 'spot-check': 0 },
  cdnBytes: 0,
  cdnRequests: 0,
};

/** `http://127.0.0.1:1234/c/v03/live/hls-ts/240p/seg12.ts` → `live/hls-ts/240p/seg12.ts`: the same in every viewer. */
export function sharedPath(url: string): string {
  return new URL(url).pathname.replace(/^\/c\/[^/]+\//, '').replace(/^\//, '');
}

interface Completed {
  atMs: number;
  source: 'http' | 'p2p';
}

export interface P2pmlRecorder extends ViewerRecorder {
  /** Starts listening; made before the player so that the viewer's start is taken where the swarmcast page takes it. */
  attach(hls: Hls, p2p: P2pmlEvents): void;
}

export function createP2pmlRecorder(errors: string[]): P2pmlRecorder {
  const loads: LoadSample[] = [];
  const downloads: DownloadSample[] = [];
  const bytes = { http: 0, p2p: 0, cache: 0, uploaded: 0 };
  let peers = 0;
  // Keys carry the rendition (`p2pml;r426x240 <path>`), as swarmcast's swarm keys do, for the renditions count.
  const renditionByUrl = new Map<string, string>();
  const startedAt = new Map<string, number>();
  const completedAt = new Map<string, Completed>();
  const requestedAt = new Map<string, number>();
  const key = (url: string): string => `p2pml;${renditionByUrl.get(url) ?? 'unknown'} ${sharedPath(url)}`;
  const recorder: P2pmlRecorder = {
    attach: (hls, p2p) => listen(hls, p2p),
    loads,
    downloads,
    firstPeerAtMs: undefined,
    engineStats: () => ({
      httpBytes: bytes.http,
      p2pBytes: bytes.p2p,
      cacheBytes: bytes.cache,
      uploadedBytes: bytes.uploaded,
      peers,
      integrity: { ...NO_INTEGRITY, byMethod: { ...NO_INTEGRITY.byMethod } },
    }),
  };
  return recorder;

  /**
   * A throw in one of the recorder's own listeners would reach hls.js as a fatal internalException and be taken
   * for P2P Media Loader's: it is recorded as the recorder's instead.
   */
  function guard<A extends unknown[]>(f: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        f(...args);
      } catch (e) {
        errors.push(`recorder: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }

  function listen(hls: Hls, p2p: P2pmlEvents): void {
    p2p.addEventListener('onSegmentStart', ({ segment }) => startedAt.set(segment.url, performance.now()));
    p2p.addEventListener('onSegmentLoaded', ({ segmentUrl, bytesLength, downloadSource }) => {
      const endMs = performance.now();
      completedAt.set(segmentUrl, { atMs: endMs, source: downloadSource });
      const startMs = startedAt.get(segmentUrl) ?? endMs;
      downloads.push({ source: downloadSource, key: key(segmentUrl), startMs, endMs, bytes: bytesLength });
    });
    p2p.addEventListener('onChunkDownloaded', (n, source) => {
      bytes[source] += n;
    });
    p2p.addEventListener('onChunkUploaded', (n) => {
      bytes.uploaded += n;
    });
    p2p.addEventListener('onPeerConnect', () => {
      peers++;
      recorder.firstPeerAtMs ??= performance.now();
    });
    p2p.addEventListener('onPeerClose', () => {
      peers--;
    });
    p2p.addEventListener('onTrackerError', ({ error }) => {
      if (errors.length < 20) errors.push(`tracker: ${error instanceof Error ? error.message : String(error)}`);
    });

    hls.on(
      Events.LEVEL_UPDATED,
      guard((_e: unknown, data: LevelUpdatedData) => {
        const level = hls.levels[data.level];
        const label = level?.width ? `r${level.width}x${level.height}` : `b${level?.bitrate ?? 0}`;
        for (const f of data.details.fragments) renditionByUrl.set(f.url, label);
      }),
    );
    hls.on(
      Events.FRAG_LOADING,
      guard((_e: unknown, { frag }: FragLoadingData) => {
        requestedAt.set(frag.url, performance.now());
      }),
    );
    hls.on(
      Events.FRAG_LOADED,
      guard((_e: unknown, { frag, payload }: FragLoadedData) => {
        const atMs = performance.now();
        // By now the payload may have been transferred to hls.js's transmuxing worker (byteLength 0); the loader's
        // stats, which are the fragment's, keep its length.
        const size = frag.stats.loaded > 0 ? frag.stats.loaded : payload.byteLength;
        const requestedMs = requestedAt.get(frag.url) ?? atMs;
        const done = completedAt.get(frag.url);
        let source: SegmentSource;
        let transferStartMs = startedAt.get(frag.url) ?? requestedMs;
        let firstByteMs = transferStartMs;
        if (done && done.atMs >= requestedMs) source = done.source;
        else if (done) {
          source = 'cache';
          transferStartMs = firstByteMs = atMs;
          bytes.cache += size;
        } else {
          // hls.js's own loader: real timings in its stats, bytes the core never saw.
          source = 'http';
          ({ transferStartMs, firstByteMs } = loaderTimes(frag, requestedMs));
          bytes.http += size;
          if (!isInit(frag))
            downloads.push({
              source,
              key: key(frag.url),
              startMs: transferStartMs,
              endMs: atMs,
              bytes: size,
            });
        }
        loads.push({
          source,
          durationMs: atMs - requestedMs,
          atMs,
          transferStartMs,
          firstByteMs,
          init: isInit(frag),
          key: key(frag.url),
          bytes: size,
        });
      }),
    );
  }
}

const isInit = (frag: Fragment): boolean => frag.sn === 'initSegment';

function loaderTimes(frag: Fragment, requestedMs: number): { transferStartMs: number; firstByteMs: number } {
  const { start, first } = frag.stats.loading;
  return { transferStartMs: start > 0 ? start : requestedMs, firstByteMs: first > 0 ? first : requestedMs };
}
