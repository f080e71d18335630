/**
 * Browser side of the mixed-swarm e2e: what the player itself received (SHA-256 of every media segment handed to
 * it, by URL), the engine's per-peer bytes and this page's own tracker peer ids, exposed as `window.__viewer`.
 * The test compares the hashes with the origin's files and tells Chromium peers from Firefox peers by id.
 */
import type { EngineStats } from '../../../core/index.js';
import { openConnections } from '../support/connections.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { PlaybackSnapshot } from '../support/types.js';

export interface MixedParams {
  label: string;
  manifestUrl: string;
  p2p: Record<string, unknown>;
}

export interface ReceivedSegment {
  url: string;
  bytes: number;
  sha256: string;
}

export interface MixedReport {
  label: string;
  userAgent: string;
  playback: PlaybackSnapshot;
  httpBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
  /** Bytes exchanged with each remote peer (tracker peer id). */
  peers: { peerId: string; downloadedBytes: number; uploadedBytes: number }[];
  ownPeerIds: string[];
  received: ReceivedSegment[];
  /** Hashes still being computed (the test waits for 0). */
  hashing: number;
  errors: string[];
}

export function readParams(): MixedParams {
  return (window as unknown as { __viewerParams: MixedParams }).__viewerParams;
}

export function video(): HTMLVideoElement {
  return document.getElementById('video') as HTMLVideoElement;
}

/** `media` is the element the player plays in (captured before a player such as Video.js re-ids it). */
export function exposeMixedViewer(
  label: string,
  media: HTMLVideoElement,
  stats: () => EngineStats | undefined,
): {
  record(url: string, payload: ArrayBuffer): void;
  errors: string[];
} {
  const monitor = monitorPlayback(media);
  const received: ReceivedSegment[] = [];
  const errors: string[] = [];
  let hashing = 0;
  const record = (url: string, payload: ArrayBuffer): void => {
    // Copied at once: the player may transfer or reuse its buffer after the event.
    const copy = payload.slice(0);
    hashing++;
    crypto.subtle
      .digest('SHA-256', copy)
      .then((digest) => {
        const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
        received.push({ url, bytes: copy.byteLength, sha256 });
      })
      .catch((e: unknown) => errors.push(`hash ${url}: ${String(e)}`))
      .finally(() => hashing--);
  };
  const report = (): MixedReport => {
    const s = stats();
    return {
      label,
      userAgent: navigator.userAgent,
      playback: monitor.snapshot(),
      httpBytes: s?.httpBytes ?? 0,
      p2pBytes: s?.p2pBytes ?? 0,
      uploadedBytes: s?.uploadedBytes ?? 0,
      peers: (s?.peers ?? []).map((p) => ({
        peerId: p.peerId,
        downloadedBytes: p.downloadedBytes,
        uploadedBytes: p.uploadedBytes,
      })),
      ownPeerIds: openConnections().ownPeerIds,
      received: [...received],
      hashing,
      errors: [...errors],
    };
  };
  (window as unknown as { __viewer: { report(): MixedReport } }).__viewer = { report };
  return { record, errors };
}
