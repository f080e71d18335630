import { DEFAULT_ANNOUNCE_INTERVAL_MS } from '../../core/p2p/connector.js';
import { CONNECT_TIMEOUT_MS } from '../../core/p2p/peer.js';
import type { EngineSettings } from '../../core/settings.js';
import { simClock } from './clock.js';
import { EventQueue } from './event-queue.js';
import { endpoint } from './network.js';
import type { SimOptions } from './options.js';
import { exponential, hashSeed, logNormal, seededRandom } from './random.js';
import { RunCollector } from './stats.js';
import { StreamModel } from './stream.js';
import { Viewer } from './viewer.js';
import type { EngineTap, World } from './world.js';

export interface SimRun {
  collector: RunCollector;
  virtualSec: number;
  wallMs: number;
  events: number;
  /** Viewers watching at any time (the audience size); sessions = every viewer that ever joined. */
  audience: number;
}

/** Spread of a viewer's latency and of connection set-up times around their medians (σ of the logarithm). */
const LATENCY_SIGMA = 0.5;
const MIN_DOWNLOAD_BYTES_PER_SEC = 125_000; // 1 Mbit/s: below that nobody would be watching this stream

/** Symmetric NAT behind both ends: the connection attempt times out like a failed ICE negotiation. */
const natBlocked = (a: Viewer, b: Viewer, symmetric: ReadonlySet<Viewer>): boolean =>
  symmetric.has(a) && symmetric.has(b);

/**
 * Runs one simulation in virtual time: the audience joins over `rampSec`, churns at `churnPerMinPct`, and every
 * viewer runs the real engine against the simulated network until `durationSec`.
 */
export async function runSim(
  options: SimOptions,
  settings: EngineSettings,
  tap?: { viewerId: number; tap: EngineTap },
): Promise<SimRun> {
  const started = performance.now();
  const queue = new EventQueue();
  const random = seededRandom(options.seed);
  // Who watches (arrival, links, NAT, churn) draws from its own stream, so two runs with the same seed but other
  // settings (an A/B, a sweep, the HTTP-only baseline) face the same audience: only the network's draws differ.
  const audience = seededRandom(hashSeed(options.seed, 'audience'));
  const world: World = {
    queue,
    clock: simClock(queue),
    random,
    options,
    settings,
    stream: new StreamModel(options),
    collector: new RunCollector(options.rampSec * 1000),
    cdnTtfbMs: () => logNormal(random, options.cdnTtfbMedianMs, LATENCY_SIGMA),
    tap,
  };
  if (tap) queue.afterEvent = () => tap.tap.afterEvent();
  const directory = new Map<string, Viewer>();
  const present: Viewer[] = [];
  const symmetric = new Set<Viewer>();
  let nextId = 0;

  const pick = (from: () => number): Viewer | undefined => present[Math.floor(from() * present.length)];

  const connect = (a: Viewer, b: Viewer): void => {
    a.connecting.add(b.peerId);
    b.connecting.add(a.peerId);
    const blocked = natBlocked(a, b, symmetric);
    const delayMs = blocked ? CONNECT_TIMEOUT_MS : logNormal(random, options.connectSetupMedianMs, LATENCY_SIGMA);
    queue.after(delayMs, () => {
      a.connecting.delete(b.peerId);
      b.connecting.delete(a.peerId);
      if (blocked || !a.alive || !b.alive || a.peers.size >= settings.maxPeers || b.peers.size >= settings.maxPeers)
        return;
      const latencyMs = a.accessLatencyMs + b.accessLatencyMs;
      a.addPeer(b, latencyMs);
      b.addPeer(a, latencyMs);
    });
  };

  /** Viewers the tracker counts in the swarm (announced, not gone). */
  let swarmCount = 0;
  /** WebTorrent-style tracker: the announce's offers go to random swarm members, who take them if they have room. */
  const announce = (v: Viewer): void => {
    if (!v.alive) return;
    if (!v.announced) {
      v.announced = true;
      swarmCount++;
    }
    v.swarmSize = swarmCount;
    const wanted = Math.min(settings.offersPerAnnounce, settings.maxPeers - v.slotsUsed);
    for (let i = 0; i < wanted; i++) {
      const other = pick(random);
      if (!other || other === v || v.peers.has(other.peerId) || v.connecting.has(other.peerId)) continue;
      if (other.slotsUsed >= settings.maxPeers) continue;
      connect(v, other);
    }
    queue.after(DEFAULT_ANNOUNCE_INTERVAL_MS, () => announce(v));
  };

  const leave = (v: Viewer, into: 'wastedBytes' | 'heldAtEndBytes'): void => {
    if (!v.alive) return;
    if (v.announced) swarmCount--;
    v.close(into);
    v.stats.leftMs = queue.nowMs;
    directory.delete(v.peerId);
    const at = present.indexOf(v);
    if (at >= 0) {
      present[at] = present[present.length - 1]!;
      present.pop();
    }
    for (const p of v.peers.values()) {
      const other = directory.get(p.id);
      if (other) queue.after(p.latencyMs, () => other.removePeer(v.peerId));
    }
  };

  const join = (): void => {
    const o = options;
    const zeroUpload = audience() < o.zeroUploadShare;
    const up = zeroUpload ? 0 : logNormal(audience, (o.uploadMedianMbps * 1e6) / 8, o.uploadSigma);
    const down = Math.max(
      MIN_DOWNLOAD_BYTES_PER_SEC,
      logNormal(audience, (o.downloadMedianMbps * 1e6) / 8, o.downloadSigma),
    );
    const isSymmetric = audience() < o.symmetricNatShare;
    const stats = world.collector.newViewer({
      id: nextId++,
      uploadBytesPerSec: up,
      downloadBytesPerSec: down,
      symmetricNat: isSymmetric,
      joinedMs: queue.nowMs,
    });
    const latency = logNormal(audience, o.accessLatencyMedianMs, LATENCY_SIGMA);
    const onEnded = (ended: Viewer): void => {
      // End of a VOD: this viewer goes, a new one starts from the beginning.
      leave(ended, 'wastedBytes');
      join();
    };
    // The engine decides when to join its swarm (p2pJoinWhenPlayable); the tracker hears of it then.
    const v = new Viewer(world, stats, endpoint(up, down), latency, directory, onEnded, announce);
    if (isSymmetric) symmetric.add(v);
    directory.set(v.peerId, v);
    present.push(v);
    v.join();
  };

  for (let i = 0; i < options.viewers; i++) queue.at(audience() * options.rampSec * 1000, join);

  const churnRatePerMs = (options.viewers * options.churnPerMinPct) / 100 / 60_000;
  if (churnRatePerMs > 0) {
    const churn = (): void => {
      const v = pick(audience);
      if (v) {
        leave(v, 'wastedBytes');
        join();
      }
      queue.after(exponential(audience, 1 / churnRatePerMs), churn);
    };
    queue.at(options.rampSec * 1000 + exponential(audience, 1 / churnRatePerMs), churn);
  }

  // Keeps the live stream's segment cache small on long runs.
  const endMs = options.durationSec * 1000;
  for (let t = 60_000; t < endMs; t += 60_000) {
    queue.at(t, () => world.stream.forgetBefore(world.stream.firstIndex(world.stream.lastIndex(t)) - 10));
  }
  await queue.runUntil(endMs);
  for (const v of [...present]) leave(v, 'heldAtEndBytes');
  return {
    collector: world.collector,
    virtualSec: options.durationSec,
    wallMs: performance.now() - started,
    events: queue.processed,
    audience: options.viewers,
  };
}
