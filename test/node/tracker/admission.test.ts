/**
 * Who may hold a socket: connections that never upgrade are capped per address and timed out; the client IP
 * behind proxies is read from the right of X-Forwarded-For, only as far as trusted hops wrote it, and IPv6
 * counts per /64; sockets that answer pings but are in no swarm are closed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { createTracker, type TrackerConfig, type TrackerServer } from '../../../tracker/index.js';
import { ClientIpResolver, ipKey } from '../../../tracker/client-ip.js';
import { RawClient, announce, isResponse, randomId, sleep, until } from './helpers.js';

async function withTracker(
  opts: Partial<TrackerConfig>,
  fn: (t: TrackerServer) => Promise<void>,
  now?: () => number,
): Promise<void> {
  const t = await createTracker({ port: 0, ...opts }, now ? { now } : {});
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

function rawTcp(port: number, localAddress: string): Promise<Socket & { closedAt?: number }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }) as Socket & { closedAt?: number };
    s.on('close', () => (s.closedAt = Date.now()));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

void test('connections that never upgrade: capped per address, closed after the upgrade timeout', () =>
  withTracker({ maxPendingUpgradesPerIp: 3, upgradeTimeoutMs: 400 }, async (t) => {
    const silent = await Promise.all([1, 2, 3].map(() => rawTcp(t.port, '127.0.0.7')));
    await until(() => t.stats().pendingUpgrades === 3, 2000, 'three pending');
    const fourth = await rawTcp(t.port, '127.0.0.7');
    await until(() => fourth.closedAt !== undefined, 2000, 'fourth refused at once');
    assert.equal(
      silent.some((s) => s.closedAt !== undefined),
      false,
      'the first three are still within their time',
    );
    // Another address is not affected, and upgrading works as usual.
    const ws = await RawClient.connect(t.url, { localAddress: '127.0.0.8' });
    assert.equal(ws.closed, false);
    await until(() => silent.every((s) => s.closedAt !== undefined), 5000, 'silent ones timed out');
    assert.equal(t.stats().pendingUpgrades, 0);
    assert.equal(t.metrics.connectionsRejected.get({ reason: 'ip_pending_upgrades' }), 1);
    assert.equal(t.metrics.errors.get({ reason: 'upgrade_timeout' }), 3);
    await sleep(600);
    assert.equal(ws.closed, false, 'an upgraded socket is not subject to the upgrade timeout');
  }));

void test('X-Forwarded-For: trusted hops are read from the right; the client-written left part is ignored', () =>
  withTracker({ trustProxyHops: 1, maxConnectionsPerIp: 1 }, async (t) => {
    const xff = (v: string): { headers: Record<string, string> } => ({ headers: { 'x-forwarded-for': v } });
    await RawClient.connect(t.url, xff('6.6.6.6, 9.9.9.9'));
    // Same client (9.9.9.9, appended by the proxy) with another spoofed first entry: still one client.
    await assert.rejects(RawClient.connect(t.url, xff('7.7.7.7, 9.9.9.9')), /HTTP 429/);
    await RawClient.connect(t.url, xff('9.9.9.9, 8.8.8.8'));
    // IPv6 counts per /64.
    await RawClient.connect(t.url, xff('2001:db8:1:2::1'));
    await assert.rejects(RawClient.connect(t.url, xff('2001:db8:1:2:ffff::5')), /HTTP 429/);
    await RawClient.connect(t.url, xff('2001:db8:1:3::1'));
  }));

void test('X-Forwarded-For from an untrusted address is ignored', () =>
  withTracker({ trustedProxies: ['10.0.0.0/8'], maxConnectionsPerIp: 1 }, async (t) => {
    await RawClient.connect(t.url, { headers: { 'x-forwarded-for': '1.1.1.1' } });
    // 127.0.0.1 is not a trusted proxy: both count as 127.0.0.1 whatever they claim.
    await assert.rejects(RawClient.connect(t.url, { headers: { 'x-forwarded-for': '2.2.2.2' } }), /HTTP 429/);
  }));

void test('client IP resolution: hop counts, proxy lists, IPv4-mapped and /64 keys', () => {
  const hops = new ClientIpResolver({ hops: 2, proxies: [] });
  assert.equal(hops.resolve('10.0.0.1', '1.1.1.1, 2.2.2.2, 3.3.3.3'), '2.2.2.2');
  assert.equal(hops.resolve('10.0.0.1', '3.3.3.3'), '3.3.3.3', 'fewer entries than hops: the leftmost');
  assert.equal(hops.resolve('10.0.0.1', 'garbage, 3.3.3.3'), '3.3.3.3', 'a non-address stops the walk');
  const list = new ClientIpResolver({ hops: 0, proxies: ['10.0.0.0/8', '2001:db8::/32'] });
  assert.equal(list.resolve('::ffff:10.1.2.3', '5.5.5.5, 10.9.9.9'), '5.5.5.5');
  assert.equal(list.resolve('10.1.2.3', '5.5.5.5, 6.6.6.6'), '6.6.6.6');
  assert.equal(list.resolve('2001:db8::1', '7.7.7.7'), '7.7.7.7');
  assert.equal(list.resolve('8.8.8.8', '7.7.7.7'), '8.8.8.8', 'not from a proxy: the header is ignored');
  assert.equal(new ClientIpResolver({ hops: 0, proxies: [] }).resolve('::ffff:1.2.3.4', '9.9.9.9'), '1.2.3.4');
  assert.equal(ipKey('2001:db8:aaaa:bbbb:1:2:3:4'), ipKey('2001:db8:aaaa:bbbb::9'));
  assert.notEqual(ipKey('2001:db8:aaaa:bbbb::1'), ipKey('2001:db8:aaaa:bbbc::1'));
  assert.equal(ipKey('::ffff:1.2.3.4'), '1.2.3.4');
});

void test('a socket that answers pings but is in no swarm is closed once idle; members stay', async () => {
  let now = Date.now();
  await withTracker(
    { pingIntervalMs: 50, idleTimeoutMs: 10_000 },
    async (t) => {
      const idle = await RawClient.connect(t.url);
      const member = await RawClient.connect(t.url);
      member.send(announce(randomId(), randomId(), { event: 'started' }));
      await member.next(isResponse);
      const left = await RawClient.connect(t.url);
      const leftHash = randomId();
      const leftId = randomId();
      left.send(announce(leftHash, leftId, { event: 'started' }));
      left.send(announce(leftHash, leftId, { event: 'stopped' }));
      await left.next((m) => isResponse(m) && m.complete === 0 && m.incomplete === 0);
      await sleep(200); // several ping rounds within the idle time: nobody is closed
      assert.deepEqual([idle.closed, member.closed, left.closed], [false, false, false]);
      now += 10_001;
      await until(() => idle.closed && left.closed, 3000, 'idle sockets closed');
      await sleep(200);
      assert.equal(member.closed, false, 'a socket with a peer in a swarm is not idle');
      assert.equal(t.metrics.errors.get({ reason: 'idle' }), 2);
    },
    () => now,
  );
});

void test('a connection that sent an HTTP request is left to Node’s keep-alive, not the upgrade timeout', () =>
  withTracker({ upgradeTimeoutMs: 300 }, async (t) => {
    const s = await rawTcp(t.port, '127.0.0.9');
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
    await until(() => got.includes('"ok":true'), 3000, 'first response');
    await sleep(700);
    assert.equal(s.closedAt, undefined, 'still open past the upgrade timeout');
    got = '';
    s.write('GET /health HTTP/1.1\r\nHost: tracker\r\n\r\n');
    await until(() => got.includes('"ok":true'), 3000, 'second response on the same connection');
    s.destroy();
  }));
