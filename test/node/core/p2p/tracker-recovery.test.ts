/**
 * Tracker outages end to end, against our tracker: a frozen tracker process (SIGSTOP) is noticed by every
 * swarm's socket and each is back, announced, within the documented bound after the process resumes; after a
 * tracker restart 1 000 sockets come back spread over the first reconnect window, not in a burst.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { createP2PNetwork, type P2PNetwork } from '../../../../core/p2p/index.js';
import {
  TRACKER_TIMINGS,
  TrackerSocket,
  reconnectWindowMs,
  type TrackerTimings,
  type TrackerUser,
} from '../../../../core/p2p/tracker-client.js';
import { createTracker } from '../../../../tracker/index.js';
import { startTrackerProcess } from '../../tracker/procs.js';
import { platform, swarmOptions, waitFor } from './support.js';

async function trackerStats(port: number): Promise<{ connections: number; peers: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/stats.json`);
  return (await res.json()) as { connections: number; peers: number };
}

void test('a frozen tracker is noticed by every swarm, and each is back within the bound once it resumes', async () => {
  // The mechanism at a tenth of the real timings (TRACKER_TIMINGS), so the test takes seconds.
  const timings: TrackerTimings = {
    silenceMs: 1000,
    replyTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    reconnectMinMs: 200,
    reconnectWindowMs: 2000,
    reconnectWindowMaxMs: 4000,
  };
  const tracker = await startTrackerProcess([]);
  const networks: P2PNetwork[] = [];
  const noticed = new Set<number>();
  try {
    for (let i = 0; i < 40; i++) {
      const net = createP2PNetwork(platform, { trackerTimings: timings });
      networks.push(net);
      // One swarm each, alone in it: no WebRTC, only tracker traffic.
      const swarm = net.createSwarm(swarmOptions([tracker.url], { swarmKey: `freeze-${i}` }));
      swarm.on('tracker-warning', (_url, message) => {
        if (message.startsWith('no reply from the tracker')) noticed.add(i);
      });
    }
    for (let t0 = Date.now(); ;) {
      const s = await trackerStats(tracker.port);
      if (s.peers === 40 && s.connections === 40) break;
      assert.ok(Date.now() - t0 < 10_000, `joined: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    tracker.child.kill('SIGSTOP');
    // Longer than silence + reply timeout: every socket must give the tracker up meanwhile.
    await new Promise((r) => setTimeout(r, 3 * (timings.silenceMs + timings.replyTimeoutMs)));
    assert.equal(noticed.size, 40, 'every swarm noticed the silent tracker');
    tracker.child.kill('SIGCONT');
    const resumedAt = Date.now();
    // The latest a socket can be waiting to try again, plus its handshake and announce.
    const boundMs = timings.reconnectMinMs + timings.reconnectWindowMaxMs + timings.connectTimeoutMs;
    const backAt: number[] = [];
    let s = { connections: 0, peers: 0 };
    while (Date.now() - resumedAt < 3 * boundMs) {
      s = await trackerStats(tracker.port);
      while (backAt.length < Math.min(s.connections, s.peers)) backAt.push(Date.now() - resumedAt);
      if (s.peers === 40 && s.connections === 40) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`back after resume (ms, every 10th socket): ${backAt.filter((_, i) => i % 10 === 9).join(', ')}`);
    assert.deepEqual(s, { ...s, connections: 40, peers: 40 }, 'every swarm reconnected and announced');
    assert.ok(backAt.at(-1)! <= boundMs * 2, `last back ${backAt.at(-1)} ms after resume; bound ${boundMs} ms`);
  } finally {
    for (const n of networks) n.destroy();
    tracker.child.kill('SIGCONT');
    await tracker.kill('SIGTERM');
  }
});

void test('after a restart, 1 000 sockets come back spread over the first window, not in a burst', async () => {
  // All 1 000 come from one address here, unlike an audience: no per-IP caps.
  const options = { maxConnectionsPerIp: 0, maxPendingUpgradesPerIp: 0, ipMessagesPerSec: 0 };
  let tracker = await createTracker({ port: 0, ...options });
  const port = tracker.port;
  const users: TrackerUser[] = [];
  const sockets: TrackerSocket[] = [];
  try {
    for (let i = 0; i < 1000; i++) {
      const infoHashBinary = `r${String(i).padStart(19, '0')}`;
      const peerId = `-SC0001-${String(i).padStart(12, '0')}`;
      const user: TrackerUser = {
        infoHashBinary,
        onTrackerOpen: (t) => {
          t.send({ action: 'announce', info_hash: infoHashBinary, peer_id: peerId, numwant: 0, event: 'started' });
        },
        onTrackerMessage: () => undefined,
        onTrackerFailure: () => undefined,
        onTrackerProblem: () => undefined,
      };
      const s = new TrackerSocket(
        tracker.url,
        WebSocket as unknown as typeof globalThis.WebSocket,
        Math.random,
        () => undefined,
      );
      s.add(user);
      users.push(user);
      sockets.push(s);
    }
    const first = tracker;
    await waitFor('1000 connected', () => first.stats().peers === 1000, 30_000);
    await tracker.close();
    const restartedAt = Date.now();
    tracker = await createTracker({ port, ...options });
    const second = tracker;
    const windowMs = TRACKER_TIMINGS.reconnectMinMs + reconnectWindowMs(1);
    const perSecond: number[] = [];
    let seen = 0;
    while (second.stats().peers < 1000 && Date.now() - restartedAt < windowMs + 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      const now = second.stats().peers;
      const at = Math.floor((Date.now() - restartedAt) / 1000);
      while (perSecond.length <= at) perSecond.push(0);
      perSecond[at] = (perSecond[at] ?? 0) + now - seen;
      seen = now;
    }
    console.log(`reconnected per second after the restart: ${perSecond.join(' ')}`);
    assert.equal(second.stats().peers, 1000, 'everyone came back');
    const busiest = Math.max(...perSecond);
    const even = 1000 / (windowMs / 1000);
    assert.ok(busiest < even * 3, `busiest second ${busiest}, an even spread is ${even.toFixed(0)}/s`);
    assert.ok(perSecond.filter((n) => n > 0).length >= (windowMs / 1000) * 0.8, 'arrivals over the whole window');
  } finally {
    for (const s of sockets) s.destroy();
    await tracker.close();
  }
});
