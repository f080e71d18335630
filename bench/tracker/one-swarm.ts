/**
 * `--mode swarm`: one live event — every peer in ONE swarm, each announcing once per interval (at its own
 * random phase) with offers, and answering the offers it gets. Measures, per target: memory idle and under
 * traffic, server CPU per announce, offer/answer relay latency, then the cost of a fraction of the peers
 * (half by default) disconnecting at once: the server CPU spent from the drop until it is quiet again, less
 * its idle CPU over the same time.
 *
 * One process here cannot hold 100 000 sockets (20 000 open files at most), so peers share sockets
 * (`peersPerConn`); the relayed offer's `to_peer_id` says which of a socket's peers answers.
 */
import type { FromLoad, LoadSpec } from './load-worker.js';
import { LoadProc, pct, sum } from './load-procs.js';
import { sample, startRedis, startServer, type Target } from './servers.js';

export interface OneSwarmOptions {
  peers: number;
  peersPerConn: number;
  intervalSec: number;
  durationSec: number;
  sdpBytes: number;
  offers: number;
  dropFraction: number;
  sources: string[];
  loadProcs: number;
}

export interface OneSwarmRow {
  name: string;
  peers: number;
  sockets: number;
  failed: number;
  swarmSizeSeen: number;
  rssIdleMB: number;
  rssMB: number;
  announcesPerSec: number;
  offersPerSec: number;
  answersPerSec: number;
  errorsPerSec: number;
  cores: number;
  cpuUsPerAnnounce: number;
  /** Our tracker's own relay time (receipt to socket write), p99 from its histogram; NaN for others. */
  serverRelayP99Ms: number;
  offerP50: number;
  offerP99: number;
  answerP50: number;
  answerP99: number;
  droppedPeers: number;
  droppedSockets: number;
  closeCpuSec: number;
  closeWallSec: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Cumulative relay-latency histogram buckets (le seconds → count) from our tracker's /metrics; null if none. */
async function relayBuckets(wsUrl: string): Promise<Map<number, number> | null> {
  try {
    const text = await (await fetch(`${wsUrl.replace('ws://', 'http://')}/metrics`)).text();
    const out = new Map<number, number>();
    for (const m of text.matchAll(/^swarmcast_tracker_relay_latency_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)) {
      out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
    }
    return out.size ? out : null;
  } catch {
    return null;
  }
}

/** p99 in ms of the observations between two bucket snapshots (the upper bound of the bucket it falls in). */
function bucketP99Ms(a: Map<number, number> | null, b: Map<number, number> | null): number {
  if (!a || !b) return NaN;
  const les = [...b.keys()].sort((x, y) => x - y);
  const total = (b.get(Infinity) ?? 0) - (a.get(Infinity) ?? 0);
  if (total <= 0) return NaN;
  for (const le of les) if ((b.get(le) ?? 0) - (a.get(le) ?? 0) >= 0.99 * total) return le * 1000;
  return Infinity;
}

/** `swarmcast`, `swarmcast:N` (workers), `swarmcast:N:redis` (workers joined through a Redis), `bittorrent-tracker`. */
export async function runOneSwarm(target: string, o: OneSwarmOptions): Promise<OneSwarmRow> {
  const [kind, w, via] = target.split(':');
  const redis = via === 'redis' ? await startRedis() : null;
  const extra = [
    '--max-peer-ids-per-swarm',
    String(o.peersPerConn),
    '--max-peer-ids',
    String(Math.max(16, o.peersPerConn)),
    // Sockets wait up to one interval for their first announce here; a live audience announces at once.
    '--idle-timeout-ms',
    String((o.intervalSec + 60) * 1000),
    '--interval-sec',
    String(o.intervalSec),
    ...(redis ? ['--redis', redis.url] : []),
  ];
  const server = await startServer(kind as Target, Number(w ?? 1), extra, redis ? ' --redis' : '');
  const conns = Math.ceil(o.peers / o.peersPerConn);
  const loads = Array.from({ length: o.loadProcs }, () => new LoadProc());
  const pids = (): number[] => [server.child.pid ?? 0, ...(redis ? [redis.pid] : [])];
  const cpu = (): { cpuSec: number; rssBytes: number; atMs: number } => {
    const all = pids().map(sample);
    return {
      cpuSec: all.reduce((a, s) => a + s.cpuSec, 0),
      rssBytes: all.reduce((a, s) => a + s.rssBytes, 0),
      atMs: Date.now(),
    };
  };
  try {
    const per = Math.ceil(conns / o.loadProcs);
    const results = await Promise.all(
      loads.map((l, i) => {
        const spec: LoadSpec = {
          url: server.url,
          mode: 'swarm',
          conns: Math.max(0, Math.min(per, conns - i * per)),
          peersPerConn: o.peersPerConn,
          firstIndex: i * per,
          swarms: 1,
          sources: o.sources,
          offers: o.offers,
          sdpBytes: o.sdpBytes,
          intervalMs: o.intervalSec * 1000,
        };
        return l.ask({ cmd: 'connect', spec });
      }),
    );
    let sockets = 0;
    let failed = 0;
    for (const r of results) if (r.type === 'connected') ((sockets += r.ok), (failed += r.failed));
    await sleep(2000);
    const idle = cpu();
    for (const l of loads) l.tell({ cmd: 'go' });
    // One whole interval: every peer has joined and announced once.
    await sleep(o.intervalSec * 1000);
    const snap = async (): Promise<FromLoad[]> => Promise.all(loads.map((l) => l.ask({ cmd: 'snapshot' })));
    await snap();
    const h0 = await relayBuckets(server.url);
    const s0 = cpu();
    const c0 = sum((await snap()).flatMap((m) => (m.type === 'snapshot' ? [m.counters] : [])));
    await sleep(o.durationSec * 1000);
    const end = await snap();
    const s1 = cpu();
    const h1 = await relayBuckets(server.url);
    const c1 = sum(end.flatMap((m) => (m.type === 'snapshot' ? [m.counters] : [])));
    const secs = (s1.atMs - s0.atMs) / 1000;
    const rate = (k: keyof typeof c1): number => (c1[k] - c0[k]) / secs;
    const cores = (s1.cpuSec - s0.cpuSec) / secs;
    const offerLat = end.flatMap((m) => (m.type === 'snapshot' ? m.offerLatencyMs : []));
    const answerLat = end.flatMap((m) => (m.type === 'snapshot' ? m.answerLatencyMs : []));

    // The mass disconnect, on a quiet tracker: it drains what it still has, then its idle CPU, then the drop.
    for (const l of loads) l.tell({ cmd: 'quiet' });
    for (let i = 0, prev = cpu(); i < 90; i++) {
      await sleep(1000);
      const s = cpu();
      const busy = s.cpuSec - prev.cpuSec;
      prev = s;
      if (busy < 0.03) break;
    }
    const q0 = cpu();
    await sleep(3000);
    const q1 = cpu();
    const idleCores = (q1.cpuSec - q0.cpuSec) / ((q1.atMs - q0.atMs) / 1000);
    const d0 = cpu();
    const dropped = await Promise.all(loads.map((l) => l.ask({ cmd: 'drop', fraction: o.dropFraction })));
    let droppedPeers = 0;
    let droppedSockets = 0;
    for (const d of dropped) if (d.type === 'dropped') ((droppedPeers += d.peers), (droppedSockets += d.sockets));
    // Quiet again: two consecutive 500 ms windows at idle CPU (or 60 s).
    let last = d0;
    let calm = 0;
    let busyUntil = d0;
    while (calm < 2 && Date.now() - d0.atMs < 60_000) {
      await sleep(500);
      const s = cpu();
      const extraCpu = s.cpuSec - last.cpuSec - idleCores * ((s.atMs - last.atMs) / 1000);
      if (extraCpu > 0.02) {
        calm = 0;
        busyUntil = s;
      } else calm++;
      last = s;
    }
    const closeWallSec = (busyUntil.atMs - d0.atMs) / 1000;
    const closeCpuSec = busyUntil.cpuSec - d0.cpuSec - idleCores * closeWallSec;
    return {
      name: server.name,
      peers: sockets * o.peersPerConn,
      sockets,
      failed,
      swarmSizeSeen: c1.swarmSizeSeen,
      rssIdleMB: idle.rssBytes / 2 ** 20,
      rssMB: s1.rssBytes / 2 ** 20,
      announcesPerSec: rate('announceResponses'),
      offersPerSec: rate('offersReceived'),
      answersPerSec: rate('answersReceived'),
      errorsPerSec: rate('errors'),
      cores,
      cpuUsPerAnnounce: (cores * 1e6) / Math.max(1e-9, rate('announceResponses')),
      serverRelayP99Ms: bucketP99Ms(h0, h1),
      offerP50: pct(offerLat, 50),
      offerP99: pct(offerLat, 99),
      answerP50: pct(answerLat, 50),
      answerP99: pct(answerLat, 99),
      droppedPeers,
      droppedSockets,
      closeCpuSec: Math.max(0, closeCpuSec),
      closeWallSec,
    };
  } finally {
    await Promise.all(loads.map((l) => l.exit()));
    await server.stop();
    await redis?.stop();
  }
}

const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : '-');

export function printOneSwarm(rows: OneSwarmRow[], o: OneSwarmOptions): void {
  console.log(
    `\n## one swarm: ${o.peers} peers, ${o.peersPerConn} per socket, interval ${o.intervalSec} s, ${o.offers} offers of ~${o.sdpBytes} B, then ${Math.round(o.dropFraction * 100)} % disconnect at once`,
  );
  console.log(
    '| tracker | peers (sockets, failed) | swarm size seen | RSS idle MB | RSS MB | announces/s | offers/s | answers/s | errors/s | server cores | CPU µs/announce | server relay p99 ms | offer p50/p99 ms | answer p50/p99 ms | drop: peers (sockets) | drop: CPU s (wall s) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.peers} (${r.sockets}, ${r.failed}) | ${r.swarmSizeSeen} | ${f(r.rssIdleMB)} | ${f(r.rssMB)} | ${f(r.announcesPerSec)} | ${f(r.offersPerSec)} | ${f(r.answersPerSec)} | ${f(r.errorsPerSec)} | ${f(r.cores, 2)} | ${f(r.cpuUsPerAnnounce)} | ${f(r.serverRelayP99Ms, 1)} | ${f(r.offerP50, 1)}/${f(r.offerP99, 1)} | ${f(r.answerP50, 1)}/${f(r.answerP99, 1)} | ${r.droppedPeers} (${r.droppedSockets}) | ${f(r.closeCpuSec, 2)} (${f(r.closeWallSec, 1)}) |`,
    );
  }
}
