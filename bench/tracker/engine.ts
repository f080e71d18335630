/**
 * `npm run bench:tracker:engine -- [--peers N] [--announces N]`: the swarm owner's share of one live swarm,
 * without sockets: heap per peer in one swarm of N peers, CPU per announce with 5 offers (target choice,
 * offer bookkeeping, frame encoding) and per answer (check and relay), and the removal of half the peers as
 * their connections close. Run with `--expose-gc` (the npm script does) so heap figures are after GC.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TRACKER_DEFAULTS } from '../../tracker/config.js';
import type { AnnounceRequest } from '../../tracker/protocol.js';
import { SwarmEngine, type Sink } from '../../tracker/swarms.js';

const { values } = parseArgs({
  options: { peers: { type: 'string', default: '100000' }, announces: { type: 'string', default: '50000' } },
});
const peers = Number(values.peers);
const announces = Number(values.announces);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const id = (): string => randomBytes(20).toString('latin1');
const sdp = `v=0 ${'a'.repeat(1000)}`;

// A sample of the relayed offers, answered below (keeping them all would weigh on the heap figures).
let relayed: { to: number; frame: string }[] = [];
const sink: Sink = {
  send: (_node, conn, frame, kind) => {
    if (kind === 'offer' && relayed.length < 20_000) relayed.push({ to: conn, frame });
  },
};
const engine = new SwarmEngine(TRACKER_DEFAULTS, sink);
const hash = id();
const ids = Array.from({ length: peers }, id);
const req = (i: number, offers: number): AnnounceRequest => ({
  kind: 'announce',
  infoHash: hash,
  peerId: ids[i]!,
  event: 'update',
  numwant: offers,
  seeder: false,
  offers: Array.from({ length: offers }, () => ({ offerId: id(), sdp })),
});

gc();
const heap0 = process.memoryUsage().heapUsed;
for (let i = 0; i < peers; i++) engine.announce({ node: 'n', conn: i, receivedAtMs: 0 }, req(i, 0));
gc();
const heap1 = process.memoryUsage().heapUsed;

// Requests are built before timing: parsing is the gateway's work, not the owner's.
const batch = Array.from({ length: announces }, () => Math.floor(Math.random() * peers));
const requests = batch.map((i) => req(i, 5));
let t = process.cpuUsage();
for (let k = 0; k < announces; k++) engine.announce({ node: 'n', conn: batch[k]!, receivedAtMs: 0 }, requests[k]!);
const a0 = process.cpuUsage(t);
const announceUs = (a0.user + a0.system) / announces;
requests.length = 0;

const answers = relayed.map(({ to, frame }) => {
  const m = JSON.parse(frame) as { peer_id: string; offer_id: string; to_peer_id: string };
  const a = { kind: 'answer' as const, infoHash: hash, peerId: m.to_peer_id, toPeerId: m.peer_id, offerId: m.offer_id };
  return { conn: to, a: { ...a, sdp } };
});
relayed = [];
gc();
const heap2 = process.memoryUsage().heapUsed;
t = process.cpuUsage();
for (const { conn, a } of answers) engine.answer({ node: 'n', conn, receivedAtMs: 0 }, a);
const u = process.cpuUsage(t);
const answerUs = (u.user + u.system) / answers.length;

const half = Math.floor(peers / 2);
t = process.cpuUsage();
for (let i = 0; i < half; i++) engine.connectionClosed('n', i, [[hash, [ids[i]!]]]);
const c = process.cpuUsage(t);

console.log(`# swarm owner, one swarm of ${peers} peers (Node ${process.version})`);
console.log(`heap per peer in the swarm: ${((heap1 - heap0) / peers).toFixed(0)} B`);
console.log(`heap per offer awaiting an answer: ${((heap2 - heap1) / (announces * 5)).toFixed(0)} B`);
console.log(`CPU per announce with 5 offers: ${announceUs.toFixed(1)} µs; per answer: ${answerUs.toFixed(1)} µs`);
console.log(`close of ${half} peers (their connections): ${((c.user + c.system) / 1e6).toFixed(3)} s CPU`);
console.log(`peers left: ${engine.peers}`);
