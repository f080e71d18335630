/**
 * Browser side of `npm run bench:core` (bundled by esbuild): two engines in one page meeting through the local
 * tracker, and a raw RTCDataChannel pair in the same page as the baseline. Exposes `window.__bench`.
 * P2P time: B's `loadSegment()` call to its result (request, transfer, assembly, storage, the player's copy).
 * Raw time: first `send()` to the last byte received, the receiver only keeping each message.
 */
import { Engine } from '../../core/index.js';
import type { PlaybackState, SegmentDescriptor } from '../../core/types.js';

export interface BenchParams {
  originUrl: string;
  trackerUrl: string;
  /** Origin path of the synthetic segment (every repetition uses its own segment id over the same bytes). */
  path: string;
  reps: number;
  /** Same limit for the engines' wire messages and the raw channel's messages. */
  maxMessageBytes: number;
}

export interface RunResult {
  bytes: number;
  ms: number;
  /** Where the receiving side got the bytes from ('p2p' expected; 'raw' for the baseline). */
  source: string;
  identical: boolean;
}

export interface BenchApi {
  setup(p: BenchParams): Promise<{ messageBytes: number }>;
  p2p(rep: number): Promise<RunResult>;
  raw(): Promise<RunResult>;
  destroy(): void;
}

/** Same back-pressure thresholds as core/p2p/peer.ts. */
const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 256 << 10;
const SEGMENT_SEC = 10;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Side {
  engine: Engine;
  streamId: string;
}

let a: Side | undefined;
let b: Side | undefined;
let reference = new Uint8Array(0);
let pcs: RTCPeerConnection[] = [];
let sendCh: RTCDataChannel | undefined;
let recvCh: RTCDataChannel | undefined;
let messageBytes = 0;

/** The segment every viewer starts with, over HTTP (its player reports playback only once it has it). */
const STARTUP: SegmentDescriptor = { id: 'bench-start', url: '', startSec: 0, durationSec: SEGMENT_SEC };

/** One segment per repetition right after the startup one, all over the same bytes. */
function segments(p: BenchParams): SegmentDescriptor[] {
  const url = `${p.originUrl}${p.path}`;
  return [
    { ...STARTUP, url },
    ...Array.from({ length: p.reps }, (_, i) => ({
      id: `bench-${i}`,
      url,
      startSec: (i + 1) * SEGMENT_SEC,
      durationSec: SEGMENT_SEC,
    })),
  ];
}

/**
 * What a player reports once it holds everything before segment `rep` and asks for that one: the segment is next
 * after its buffer, one segment's time ahead of the playhead. (An empty buffer would send any request to HTTP at
 * once, rightly: a player with nothing to play cannot wait for a peer.)
 */
function playingUpTo(rep: number): PlaybackState {
  const bufferedEndSec = (rep + 1) * SEGMENT_SEC;
  return { positionSec: bufferedEndSec - SEGMENT_SEC, rate: 1, bufferedEndSec };
}

function engine(p: BenchParams, prefetch: boolean): Side {
  const e = new Engine({
    trackerUrls: [p.trackerUrl],
    rtcConfig: { iceServers: [] },
    maxMessageBytes: p.maxMessageBytes,
    httpSeedEnabled: false,
    // The receiver must not prefetch on its own: the bench times its explicit request.
    p2pWindowSec: prefetch ? 60 : 1,
    storageBudgetBytes: 1 << 30,
  });
  e.setContent({ manifestUrl: `${p.originUrl}/bench.m3u8`, swarmId: 'bench-core' });
  const streamId = e.addStream({ type: 'main', rendition: { bandwidth: 8_000_000, width: 1920, height: 1080 } });
  e.updateSegments(streamId, segments(p), { live: false });
  e.setActiveStream(streamId);
  return { engine: e, streamId };
}

/**
 * Starts playback as an integration does: the first segment over HTTP (the engine joins its swarm only once the
 * player can play, p2pJoinWhenPlayable), then the playback report that lets it join. The HTTP download also gives
 * the engine its HTTP rate, against which it judges whether a peer has time to deliver.
 */
async function startPlayback(side: Side): Promise<void> {
  await side.engine.loadSegment(side.streamId, STARTUP.id);
  side.engine.updatePlayback(playingUpTo(0));
}

/** Two directly connected peer connections with one ordered, reliable channel (the same kind core uses). */
async function rawPair(): Promise<void> {
  const pa = new RTCPeerConnection({ iceServers: [] });
  const pb = new RTCPeerConnection({ iceServers: [] });
  pcs = [pa, pb];
  pa.onicecandidate = (e) => void (e.candidate && pb.addIceCandidate(e.candidate));
  pb.onicecandidate = (e) => void (e.candidate && pa.addIceCandidate(e.candidate));
  const ch = pa.createDataChannel('raw', { ordered: true });
  ch.binaryType = 'arraybuffer';
  ch.bufferedAmountLowThreshold = LOW_WATER_BYTES;
  const remote = new Promise<RTCDataChannel>((resolve) => {
    pb.ondatachannel = (e) => {
      resolve(e.channel);
    };
  });
  await pa.setLocalDescription(await pa.createOffer());
  await pb.setRemoteDescription(pa.localDescription!);
  await pb.setLocalDescription(await pb.createAnswer());
  await pa.setRemoteDescription(pb.localDescription!);
  recvCh = await remote;
  recvCh.binaryType = 'arraybuffer';
  await waitFor('raw channel open', () => ch.readyState === 'open' && recvCh?.readyState === 'open');
  sendCh = ch;
  const sctp = pa.sctp?.maxMessageSize;
  messageBytes = Math.min(messageBytes, sctp && sctp > 0 ? sctp : Infinity);
}

const api: BenchApi = {
  async setup(p) {
    messageBytes = p.maxMessageBytes;
    a = engine(p, true);
    // A fetches every repetition's segment over HTTP before its player plays (an empty buffer: HTTP at once, and
    // no swarm yet), so the timed part is B's P2P download alone; then it starts playing and joins.
    for (const seg of segments(p)) {
      const r = await a.engine.loadSegment(a.streamId, seg.id);
      reference = new Uint8Array(r.data);
    }
    a.engine.updatePlayback(playingUpTo(0));
    await sleep(300); // B joins second so A is in the tracker's swarm to receive B's offers.
    b = engine(p, false);
    await startPlayback(b);
    const peers = (s: Side): number => Object.values(s.engine.getStats().peersBySwarm).reduce((x, y) => x + y, 0);
    await waitFor('engines connected', () => peers(a!) > 0 && peers(b!) > 0);
    await rawPair();
    await sleep(500); // let A's announcements reach B
    return { messageBytes };
  },

  async p2p(rep) {
    const side = b!;
    // B's player has played on to just before this segment (reported before the clock starts).
    side.engine.updatePlayback(playingUpTo(rep));
    const t0 = performance.now();
    const r = await side.engine.loadSegment(side.streamId, `bench-${rep}`);
    const ms = performance.now() - t0;
    const data = new Uint8Array(r.data);
    return { bytes: data.length, ms, source: r.source, identical: equal(data, reference) };
  },

  raw() {
    const ch = sendCh!;
    const rx = recvCh!;
    const total = reference.length;
    // The receiver keeps each message's buffer as is (the least work a receiver can do); checked after timing.
    const parts: ArrayBuffer[] = [];
    let got = 0;
    return new Promise<RunResult>((resolve) => {
      const t0 = performance.now();
      rx.onmessage = (e: MessageEvent<ArrayBuffer>) => {
        parts.push(e.data);
        got += e.data.byteLength;
        if (got >= total) {
          const ms = performance.now() - t0;
          const received = new Uint8Array(got);
          let at = 0;
          for (const part of parts) {
            received.set(new Uint8Array(part), at);
            at += part.byteLength;
          }
          resolve({ bytes: got, ms, source: 'raw', identical: equal(received, reference) });
        }
      };
      let offset = 0;
      const pump = (): void => {
        while (offset < total && ch.bufferedAmount < HIGH_WATER_BYTES) {
          const n = Math.min(messageBytes, total - offset);
          ch.send(reference.subarray(offset, offset + n));
          offset += n;
        }
      };
      ch.onbufferedamountlow = pump;
      pump();
    });
  },

  destroy() {
    a?.engine.destroy();
    b?.engine.destroy();
    for (const pc of pcs) pc.close();
  },
};

(window as unknown as { __bench: BenchApi }).__bench = api;
