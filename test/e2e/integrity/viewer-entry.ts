/**
 * Browser entry of the "forger in the swarm" e2e (bundled by test/e2e/support/bundle.ts): hls.js through
 * `withP2P(Hls)` or Video.js through `player.p2p()`, honest or forging (see forging-storage.ts). It records, for the
 * test to judge in Node: the SHA-256 of every segment the engine handed the player, every chunk appended to an MSE
 * SourceBuffer (does it hold forged bytes?), the peers it met, banned, received from and uploaded to.
 */
import Hls from 'hls.js';
import videojs from 'video.js';
import type { Engine, IntegrityMode, IntegrityStats, SegmentStorage } from '../../../core/index.js';
import { withP2P } from '../../../integrations/hlsjs/index.js';
import { registerP2PPlugin, type P2PPluginInstance, type VideojsStatic } from '../../../plugins/videojs/index.js';
import { monitorPlayback } from '../support/playback-monitor.js';
import type { PlaybackSnapshot } from '../support/types.js';
import { ForgingStorage, holdsMarker, type ForgeryKind } from './forging-storage.js';

export interface ForgerViewerParams {
  label: string;
  player: 'hlsjs' | 'videojs';
  manifestUrl: string;
  trackerUrl: string;
  swarmId: string;
  integrity: IntegrityMode;
  /** Set: this viewer is the forger. */
  forgery?: ForgeryKind;
  /** Live: seconds behind the edge (hls.js `liveSyncDuration`, the Video.js plugin's `liveDelaySec`). */
  liveDelaySec: number;
}

export interface ForgerViewerReport {
  label: string;
  playback: PlaybackSnapshot;
  httpBytes: number;
  p2pBytes: number;
  uploadedBytes: number;
  integrity: IntegrityStats | undefined;
  /** Peer ids in the order they first connected. */
  peersSeen: string[];
  banned: { peerId: string; segmentId: string; reason: string }[];
  /** P2P bytes received per sending peer, and uploaded per receiving peer. */
  p2pFrom: Record<string, number>;
  uploadedTo: Record<string, number>;
  /**
   * Every segment the engine handed the player: SHA-256 (hex), where it came from, size, and the page time
   * (performance.now) of the request and of its answer (what the player waited for around a stall).
   */
  delivered: {
    sha256: string;
    source: string;
    bytes: number;
    segmentId: string;
    streamId: string;
    askedAtMs: number;
    doneAtMs: number;
  }[];
  /** Requests the engine has not answered yet (stream, segment, when asked). */
  pending: string[];
  appends: { count: number; bytes: number; forged: number };
  forgedCopies: number;
  errors: string[];
}

const params = (window as unknown as { __viewerParams: ForgerViewerParams }).__viewerParams;
const video = document.getElementById('video') as HTMLVideoElement;
const monitor = monitorPlayback(video);
const errors: string[] = [];

// Whatever the player does with the bytes (transmux, pass through), this is the last door before the decoder.
const appends = { count: 0, bytes: 0, forged: 0 };
const append = Object.getOwnPropertyDescriptor(SourceBuffer.prototype, 'appendBuffer')?.value as (
  this: SourceBuffer,
  data: BufferSource,
) => void;
SourceBuffer.prototype.appendBuffer = function (this: SourceBuffer, data: BufferSource): void {
  const view = ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
  appends.count++;
  appends.bytes += view.byteLength;
  if (holdsMarker(view)) appends.forged++;
  append.call(this, data);
};

const storage: ForgingStorage | undefined = params.forgery ? new ForgingStorage(params.forgery) : undefined;
const core = {
  trackerUrls: [params.trackerUrl],
  rtcConfig: { iceServers: [] },
  integrity: params.integrity,
  ...(storage ? { storage: storage as SegmentStorage } : {}),
};

interface P2PHandle {
  engine: Engine;
}
let p2p: P2PHandle;
if (params.player === 'hlsjs') {
  const hls = new (withP2P(Hls))({
    enableWorker: false,
    liveSyncDuration: params.liveDelaySec,
    p2p: { core, swarmId: params.swarmId },
  });
  p2p = hls.p2p as unknown as P2PHandle;
  hls.on(Hls.Events.ERROR, (_e, data) => {
    if (data.fatal || errors.length < 20) errors.push(`${data.fatal ? 'FATAL ' : ''}${data.details}`);
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    video.play().catch((e: unknown) => errors.push(`play(): ${String(e)}`));
  });
  hls.loadSource(params.manifestUrl);
  hls.attachMedia(video);
} else {
  registerP2PPlugin(videojs as unknown as VideojsStatic);
  video.className = 'video-js';
  interface Player {
    on(type: string, fn: () => void): void;
    error(): unknown;
    src(s: { src: string; type: string }): void;
    ready(fn: () => void): void;
    play(): Promise<void> | undefined;
  }
  const create = videojs as unknown as (el: Element, options: Record<string, unknown>) => Player;
  const player = create(video, { muted: true, autoplay: false, preload: 'auto', width: 320, height: 180 });
  const plugin = (player as unknown as { p2p(o: unknown): P2PPluginInstance }).p2p({
    core,
    swarmId: params.swarmId,
    liveDelaySec: params.liveDelaySec,
  });
  p2p = plugin.p2p as unknown as P2PHandle;
  player.on('error', () => errors.push(`player error: ${JSON.stringify(player.error())}`));
  const type = params.manifestUrl.endsWith('.mpd') ? 'application/dash+xml' : 'application/x-mpegURL';
  player.src({ src: params.manifestUrl, type });
  player.ready(() => {
    player.play()?.catch((e: unknown) => errors.push(`play(): ${String(e)}`));
  });
}

const engine = p2p.engine;
const peersSeen: string[] = [];
const banned: ForgerViewerReport['banned'] = [];
const p2pFrom: Record<string, number> = {};
const uploadedTo: Record<string, number> = {};
engine.on('peer-connect', (e) => {
  if (!peersSeen.includes(e.peerId)) peersSeen.push(e.peerId);
});
engine.on('peer-banned', (e) => banned.push({ peerId: e.peerId, segmentId: e.segmentId, reason: e.reason }));
engine.on('bytes-downloaded', (e) => {
  if (e.source === 'p2p' && e.peerId) p2pFrom[e.peerId] = (p2pFrom[e.peerId] ?? 0) + e.bytes;
});
engine.on('bytes-uploaded', (e) => {
  uploadedTo[e.peerId] = (uploadedTo[e.peerId] ?? 0) + e.bytes;
});

// What the engine hands the integration is what the player parses: hash a copy before the player can touch it.
const delivered: ForgerViewerReport['delivered'] = [];
const hex = (b: ArrayBuffer): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const load = engine.loadSegment.bind(engine);
const pending = new Set<string>();
engine.loadSegment = async (streamId, segmentId, opts) => {
  const askedAtMs = performance.now();
  const key = `${streamId} ${segmentId} asked ${askedAtMs.toFixed(0)}`;
  pending.add(key);
  let result;
  try {
    result = await load(streamId, segmentId, opts);
  } finally {
    pending.delete(key);
  }
  const doneAtMs = performance.now();
  const copy = result.data.slice(0);
  void crypto.subtle.digest('SHA-256', copy).then((d) => {
    delivered.push({
      sha256: hex(d),
      source: result.source,
      bytes: copy.byteLength,
      segmentId,
      streamId,
      askedAtMs,
      doneAtMs,
    });
  });
  return result;
};

function report(): ForgerViewerReport {
  const s = engine.getStats();
  return {
    label: params.label,
    playback: monitor.snapshot(),
    httpBytes: s.httpBytes,
    p2pBytes: s.p2pBytes,
    uploadedBytes: s.uploadedBytes,
    integrity: s.integrity,
    peersSeen: [...peersSeen],
    banned: [...banned],
    p2pFrom: { ...p2pFrom },
    uploadedTo: { ...uploadedTo },
    delivered: [...delivered],
    pending: [...pending],
    appends: { ...appends },
    forgedCopies: storage?.forgedCopies ?? 0,
    errors: [...errors],
  };
}
(window as unknown as { __viewer: { report(): ForgerViewerReport } }).__viewer = { report };
