/**
 * `npm run bench:tracker -- [options]`: our tracker and bittorrent-tracker 10.0.12's server, side by side
 * in the same run, under (a) a paced model and (b) aquatic's closed loop. Prints a table and the ratios.
 *
 *   --mode closed|paced|both|swarm   (default both; swarm = one swarm of --peers, see one-swarm.ts)
 *   --targets LIST             e.g. swarmcast,swarmcast:2,bittorrent-tracker (":N" = --workers N,
 *                              ":N:redis" = N workers joined through a throwaway redis-server)
 *   --conns N                  closed loop: connections (default 512)  --conns-per-swarm N (default 32)
 *   --duration-sec N           measured window per target (default 15)      --warmup-sec N (default 3)
 *   --peers N                  paced: peers (default 10000)                --interval-sec N (default 30)
 *   --sdp-bytes N              paced SDP size (default 1000; closed loop uses 100)
 *   --load-procs N             load-generator processes (default: 1 per 15000 connections)
 *   --sources N                loopback source addresses 127.0.0.1..N (default 8)
 *   --peers-per-conn N         swarm mode: peers sharing one socket (default: peers / 12 000, rounded up)
 *   --drop-fraction F          swarm mode: share of the sockets closed at once at the end (default 0.5)
 */
import { parseArgs } from 'node:util';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { Counters, FromLoad, LoadSpec } from './load-worker.js';
import { LoadProc, pct, sum } from './load-procs.js';
import { printOneSwarm, runOneSwarm } from './one-swarm.js';
import { sample, startServer, type Target } from './servers.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    targets: { type: 'string', default: 'swarmcast,bittorrent-tracker' },
    conns: { type: 'string', default: '512' },
    'conns-per-swarm': { type: 'string', default: '32' },
    'duration-sec': { type: 'string', default: '15' },
    'warmup-sec': { type: 'string', default: '3' },
    peers: { type: 'string', default: '10000' },
    'interval-sec': { type: 'string', default: '30' },
    'sdp-bytes': { type: 'string', default: '1000' },
    'load-procs': { type: 'string' },
    sources: { type: 'string', default: '8' },
    'peers-per-conn': { type: 'string' },
    'drop-fraction': { type: 'string', default: '0.5' },
  },
});
const n = (k: keyof typeof values): number => Number(values[k]);
const sources = Array.from({ length: n('sources') }, (_, i) => `127.0.0.${i + 1}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Row {
  name: string;
  connected: number;
  failed: number;
  perSec: Counters;
  offerP50: number;
  offerP99: number;
  answerP50: number;
  answerP99: number;
  cores: number;
  rssIdleMB: number;
  rssMB: number;
}

async function runOne(target: string, mode: 'closed' | 'paced'): Promise<Row> {
  const [kind, w] = target.split(':');
  const server = await startServer(kind as Target, Number(w ?? 1));
  const total = mode === 'closed' ? n('conns') : n('peers');
  const procs = values['load-procs'] ? n('load-procs') : Math.max(1, Math.ceil(total / 15_000));
  const loads = Array.from({ length: procs }, () => new LoadProc());
  try {
    const per = Math.ceil(total / procs);
    const results = await Promise.all(
      loads.map((l, i) => {
        const spec: LoadSpec = {
          url: server.url,
          mode,
          conns: Math.min(per, total - i * per),
          peersPerConn: 1,
          firstIndex: i * per,
          swarms:
            mode === 'closed'
              ? Math.max(1, Math.round(n('conns') / n('conns-per-swarm')))
              : Math.max(1, Math.round(n('peers') / 100)),
          sources,
          offers: mode === 'closed' ? 10 : 5,
          sdpBytes: mode === 'closed' ? 100 : n('sdp-bytes'),
          intervalMs: n('interval-sec') * 1000,
        };
        return l.ask({ cmd: 'connect', spec });
      }),
    );
    let connected = 0;
    let failed = 0;
    for (const r of results) if (r.type === 'connected') ((connected += r.ok), (failed += r.failed));
    const pid = server.child.pid ?? 0;
    await sleep(1000);
    const idle = sample(pid);
    for (const l of loads) l.tell({ cmd: 'go' });
    await sleep((mode === 'closed' ? n('warmup-sec') : n('interval-sec')) * 1000);
    const snap = async (): Promise<FromLoad[]> => Promise.all(loads.map((l) => l.ask({ cmd: 'snapshot' })));
    await snap();
    const s0 = sample(pid);
    const c0 = sum((await snap()).flatMap((m) => (m.type === 'snapshot' ? [m.counters] : [])));
    await sleep(n('duration-sec') * 1000);
    const end = await snap();
    const s1 = sample(pid);
    const c1 = sum(end.flatMap((m) => (m.type === 'snapshot' ? [m.counters] : [])));
    const secs = (s1.atMs - s0.atMs) / 1000;
    const perSec = { ...c1 };
    for (const k of Object.keys(perSec) as (keyof Counters)[]) perSec[k] = (c1[k] - c0[k]) / secs;
    const offerLat = end.flatMap((m) => (m.type === 'snapshot' ? m.offerLatencyMs : []));
    const answerLat = end.flatMap((m) => (m.type === 'snapshot' ? m.answerLatencyMs : []));
    return {
      name: server.name,
      connected,
      failed,
      perSec,
      offerP50: pct(offerLat, 50),
      offerP99: pct(offerLat, 99),
      answerP50: pct(answerLat, 50),
      answerP99: pct(answerLat, 99),
      cores: (s1.cpuSec - s0.cpuSec) / secs,
      rssIdleMB: idle.rssBytes / 2 ** 20,
      rssMB: s1.rssBytes / 2 ** 20,
    };
  } finally {
    await Promise.all(loads.map((l) => l.exit()));
    await server.stop();
  }
}

const f = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : '-');

function print(mode: string, rows: Row[]): void {
  console.log(`\n## ${mode}`);
  if (mode === 'closed') {
    console.log(
      '| tracker | conns | announce resp/s | offers/s | all responses/s | server cores | responses/s per core | offer p50/p99 ms | RSS MB |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const all = r.perSec.announceResponses + r.perSec.offersReceived;
      console.log(
        `| ${r.name} | ${r.connected} | ${f(r.perSec.announceResponses)} | ${f(r.perSec.offersReceived)} | ${f(all)} | ${f(r.cores, 2)} | ${f(all / r.cores)} | ${f(r.offerP50, 1)}/${f(r.offerP99, 1)} | ${f(r.rssMB)} |`,
      );
    }
  } else {
    console.log(
      '| tracker | peers (failed) | RSS idle MB | RSS MB | KB/peer | announces/s | offers/s | answers/s | server cores | offer p50/p99 ms | answer p50/p99 ms | errors/s |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const p = r.perSec;
      console.log(
        `| ${r.name} | ${r.connected} (${r.failed}) | ${f(r.rssIdleMB)} | ${f(r.rssMB)} | ${f((r.rssMB * 1024) / Math.max(1, r.connected), 1)} | ${f(p.announceResponses)} | ${f(p.offersReceived)} | ${f(p.answersReceived)} | ${f(r.cores, 2)} | ${f(r.offerP50, 1)}/${f(r.offerP99, 1)} | ${f(r.answerP50, 1)}/${f(r.answerP99, 1)} | ${f(p.errors)} |`,
      );
    }
  }
  const ours = rows.find((r) => r.name === 'swarmcast');
  const base = rows.find((r) => r.name.startsWith('bittorrent-tracker'));
  if (ours && base) {
    const tp = (r: Row): number => r.perSec.announceResponses + r.perSec.offersReceived;
    console.log(
      `ratio swarmcast / bittorrent-tracker: responses/s ${f(tp(ours) / tp(base), 2)}x, per core ${f(tp(ours) / ours.cores / (tp(base) / base.cores), 2)}x, RSS ${f(ours.rssMB / base.rssMB, 2)}x`,
    );
  }
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `# tracker benchmark — ${availableParallelism()} cores (${cpu}), ${f(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const targets = values.targets.split(',').filter(Boolean);
  if (values.mode === 'swarm') {
    const peers = n('peers');
    const peersPerConn = values['peers-per-conn'] ? n('peers-per-conn') : Math.ceil(peers / 12_000);
    const o = {
      peers,
      peersPerConn,
      intervalSec: n('interval-sec'),
      durationSec: n('duration-sec'),
      sdpBytes: n('sdp-bytes'),
      offers: 5,
      dropFraction: n('drop-fraction'),
      sources,
      loadProcs: values['load-procs'] ? n('load-procs') : 1,
    };
    const rows = [];
    for (const t of targets) {
      process.stderr.write(`running one swarm of ${peers} against ${t}...\n`);
      rows.push(await runOneSwarm(t, o));
    }
    printOneSwarm(rows, o);
    return;
  }
  const modes = values.mode === 'both' ? (['closed', 'paced'] as const) : [values.mode as 'closed' | 'paced'];
  for (const mode of modes) {
    const rows: Row[] = [];
    for (const t of targets) {
      process.stderr.write(`running ${mode} against ${t}...\n`);
      rows.push(await runOne(t, mode));
    }
    print(mode, rows);
  }
}

void main().then(() => process.exit(0));
