/**
 * Load-generator process (forked by index.ts). Opens its share of WebSocket connections from several
 * loopback source addresses and runs one of three models:
 *  - closed: each connection sends the next announce (10 offers) when the previous response arrives;
 *  - paced: each peer announces every interval with 5 offers of ~1 KB SDP and answers offers it gets;
 *  - swarm: paced, all peers in one swarm, several peers per connection (one process cannot hold 100 000
 *    sockets here); the relayed offer's `to_peer_id` says which of them answers.
 * Offer/answer SDPs carry a send timestamp, so receivers measure relay latency (same host, same clock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';

export interface LoadSpec {
  url: string;
  mode: 'closed' | 'paced' | 'swarm';
  conns: number;
  /** Peers (peer_ids) per connection, each in the connection's swarm. */
  peersPerConn: number;
  firstIndex: number;
  swarms: number;
  sources: string[];
  offers: number;
  sdpBytes: number;
  intervalMs: number;
}

export type ToLoad =
  | { cmd: 'connect'; spec: LoadSpec }
  | { cmd: 'go' }
  | { cmd: 'snapshot' }
  | { cmd: 'quiet' }
  | { cmd: 'drop'; fraction: number }
  | { cmd: 'exit' };

export interface Counters {
  announcesSent: number;
  announceResponses: number;
  offersReceived: number;
  answersSent: number;
  answersReceived: number;
  errors: number;
  closed: number;
  /** Largest swarm size (complete + incomplete) an announce response reported. */
  swarmSizeSeen: number;
}

export type FromLoad =
  | { type: 'connected'; ok: number; failed: number }
  | { type: 'snapshot'; counters: Counters; offerLatencyMs: number[]; answerLatencyMs: number[] }
  | { type: 'dropped'; sockets: number; peers: number };

interface Peer {
  peerId: string;
  parts: string[];
  started: boolean;
}

interface Conn {
  ws: WebSocket;
  hash: string;
  peers: Peer[];
  byId: Map<string, Peer>;
}

const now = (): number => performance.timeOrigin + performance.now();
const counters: Counters = {
  announcesSent: 0,
  announceResponses: 0,
  offersReceived: 0,
  answersSent: 0,
  answersReceived: 0,
  errors: 0,
  closed: 0,
  swarmSizeSeen: 0,
};
const MAX_SAMPLES = 100_000;
let offerLat: number[] = [];
let answerLat: number[] = [];
let running = false;
let conns: Conn[] = [];
const timers: NodeJS.Timeout[] = [];
let spec: LoadSpec;
let pad = '';

function record(list: number[], s: string): void {
  const i = s.indexOf('ts=');
  if (i < 0) return;
  const ms = now() - Number.parseFloat(s.slice(i + 3, s.indexOf(';', i)));
  if (list.length < MAX_SAMPLES) list.push(ms);
  else list[Math.floor(Math.random() * MAX_SAMPLES)] = ms;
}

function hashFor(swarm: number): string {
  return createHash('sha1').update(`swarmcast-bench-${swarm}`).digest().toString('latin1');
}

/** Announce template split at the timestamp, so each announce is one `join`. */
function template(peerId: string, hash: string, n: number): string[] {
  const offers = Array.from({ length: n }, () => ({
    offer: { type: 'offer', sdp: `v=0 ts=@@TS@@; ${pad}` },
    offer_id: randomBytes(20).toString('latin1'),
  }));
  const msg = {
    action: 'announce',
    info_hash: hash,
    peer_id: peerId,
    numwant: n,
    uploaded: 0,
    downloaded: 0,
    left: 1,
    offers,
  };
  return JSON.stringify(msg).split('@@TS@@');
}

function sendAnnounce(c: Conn, p: Peer): void {
  if (c.ws.readyState !== WebSocket.OPEN) return;
  let msg = p.parts.join(now().toFixed(3));
  if (!p.started) {
    p.started = true;
    msg = msg.replace('"left":1', '"left":1,"event":"started"');
  }
  c.ws.send(msg);
  counters.announcesSent++;
}

function onMessage(c: Conn, s: string): void {
  if (s.includes('"failure reason"')) {
    counters.errors++;
  } else if (s.includes('"offer"')) {
    counters.offersReceived++;
    record(offerLat, s);
    if (spec.mode !== 'closed' && running) {
      const m = JSON.parse(s) as { peer_id: string; offer_id: string; to_peer_id?: string };
      const me = (m.to_peer_id !== undefined ? c.byId.get(m.to_peer_id) : undefined) ?? c.peers[0];
      if (!me) return;
      c.ws.send(
        JSON.stringify({
          action: 'announce',
          info_hash: c.hash,
          peer_id: me.peerId,
          to_peer_id: m.peer_id,
          offer_id: m.offer_id,
          answer: { type: 'answer', sdp: `v=0 ts=${now().toFixed(3)}; ${pad}` },
        }),
      );
      counters.answersSent++;
    }
  } else if (s.includes('"answer"')) {
    counters.answersReceived++;
    record(answerLat, s);
  } else if (s.includes('"interval"')) {
    counters.announceResponses++;
    const m = /"complete":(\d+),"incomplete":(\d+)/.exec(s);
    if (m) counters.swarmSizeSeen = Math.max(counters.swarmSizeSeen, Number(m[1]) + Number(m[2]));
    const p = c.peers[0];
    if (spec.mode === 'closed' && running && p) sendAnnounce(c, p);
  }
}

function open(index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const source = spec.sources[index % spec.sources.length];
    const ws = new WebSocket(spec.url, { perMessageDeflate: false, localAddress: source, handshakeTimeout: 30_000 });
    const hash = hashFor((spec.firstIndex + index) % spec.swarms);
    const peers = Array.from({ length: spec.peersPerConn }, () => {
      const peerId = randomBytes(20).toString('latin1');
      return { peerId, parts: template(peerId, hash, spec.offers), started: false };
    });
    const c: Conn = { ws, hash, peers, byId: new Map(peers.map((p) => [p.peerId, p])) };
    ws.on('message', (data: Buffer) => {
      onMessage(c, data.toString());
    });
    ws.once('open', () => {
      conns.push(c);
      resolve(true);
    });
    ws.on('error', () => {
      resolve(false);
    });
    ws.once('close', () => {
      counters.closed++;
    });
  });
}

async function connectAll(): Promise<{ ok: number; failed: number }> {
  pad = 'a'.repeat(Math.max(0, spec.sdpBytes - 30));
  let next = 0;
  let ok = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (next < spec.conns) {
      const i = next++;
      if (await open(i)) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: 200 }, lane));
  return { ok, failed };
}

function go(): void {
  running = true;
  if (spec.mode === 'closed') {
    for (const c of conns) {
      const p = c.peers[0];
      if (p) sendAnnounce(c, p);
    }
    return;
  }
  // Each peer announces once per interval, at its own random phase (a live audience, not a closed loop).
  for (const c of conns) {
    for (const p of c.peers) {
      const t = setTimeout(() => {
        sendAnnounce(c, p);
        timers.push(setInterval(() => sendAnnounce(c, p), spec.intervalMs));
      }, Math.random() * spec.intervalMs);
      timers.push(t);
    }
  }
}

function quiet(): void {
  running = false;
  for (const t of timers) clearTimeout(t);
  timers.length = 0;
}

/** Terminates a fraction of the sockets at once (an ISP blip, a proxy restart, the end of an event). */
function drop(fraction: number): { sockets: number; peers: number } {
  const n = Math.round(conns.length * fraction);
  const gone = conns.slice(0, n);
  conns = conns.slice(n);
  for (const c of gone) c.ws.terminate();
  return { sockets: gone.length, peers: gone.reduce((a, c) => a + c.peers.length, 0) };
}

function reply(m: FromLoad): void {
  process.send?.(m);
}

process.on('message', (m: ToLoad) => {
  if (m.cmd === 'connect') {
    spec = m.spec;
    void connectAll().then((r) => reply({ type: 'connected', ...r }));
  } else if (m.cmd === 'go') {
    go();
  } else if (m.cmd === 'snapshot') {
    reply({ type: 'snapshot', counters: { ...counters }, offerLatencyMs: offerLat, answerLatencyMs: answerLat });
    offerLat = [];
    answerLat = [];
  } else if (m.cmd === 'quiet') {
    quiet();
  } else if (m.cmd === 'drop') {
    reply({ type: 'dropped', ...drop(m.fraction) });
  } else {
    quiet();
    for (const c of conns) c.ws.terminate();
    setTimeout(() => process.exit(0), 200);
  }
});
