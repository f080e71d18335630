/** Compatibility with the reference client: bittorrent-tracker 10.0.12's client over real WebRTC (@roamhq/wrtc). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { Client, type SimplePeer } from 'bittorrent-tracker';
import { createTracker } from '../../../tracker/index.js';
import { until } from './helpers.js';

function makeClient(url: string, infoHash: string): Client {
  return new Client({
    infoHash,
    peerId: randomBytes(20).toString('hex'),
    announce: url,
    port: 6881,
    wrtc,
    rtcConfig: { iceServers: [] },
  });
}

function destroy(c: Client): Promise<void> {
  return new Promise((resolve) => {
    c.destroy(() => resolve());
  });
}

void test('two bittorrent-tracker clients meet through our tracker and exchange a data-channel message', async () => {
  const tracker = await createTracker({ port: 0 });
  const infoHash = randomBytes(20).toString('hex');
  // Different URL paths give each client its own pooled socket.
  const a = makeClient(`${tracker.url}/a`, infoHash);
  const b = makeClient(`${tracker.url}/b`, infoHash);
  const warnings: string[] = [];
  // Peers handed out through 'peer' belong to the caller (the client does not destroy them).
  const emitted: SimplePeer[] = [];
  for (const c of [a, b]) {
    c.on('peer', (p: SimplePeer) => emitted.push(p));
    c.on('warning', (e: Error) => warnings.push(e.message));
    c.on('error', (e: Error) => warnings.push(e.message));
  }
  try {
    const received = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no data-channel message; warnings: ${warnings.join('; ')}`)),
        20_000,
      );
      a.on('peer', (peer: SimplePeer) => {
        peer.on('data', (d: Uint8Array) => {
          clearTimeout(timer);
          resolve(Buffer.from(d).toString());
        });
      });
    });
    b.on('peer', (peer: SimplePeer) => {
      const send = (): void => peer.send('hello over webrtc');
      if (peer.connected) send();
      else peer.once('connect', send);
    });
    const updates: { complete: number; incomplete: number }[] = [];
    a.on('update', (u: { complete: number; incomplete: number }) => updates.push(u));
    a.start();
    await until(() => tracker.stats().peers === 1, 5000, 'first peer');
    b.start();
    assert.equal(await received, 'hello over webrtc');
    assert.ok(updates.length >= 1, 'client got an announce response');
    assert.equal(tracker.metrics.sent.get({ type: 'answer' }) >= 1, true);
    assert.equal(tracker.stats().swarms, 1);
  } finally {
    for (const p of emitted) p.destroy();
    await Promise.all([destroy(a), destroy(b)]);
    await tracker.close();
  }
});

void test('bittorrent-tracker client gets errors with action + info_hash and keeps its socket', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-tracker-'));
  const file = join(dir, 'allow.txt');
  writeFileSync(file, `${'ab'.repeat(20)}\n`);
  const tracker = await createTracker({ port: 0, infoHashFile: file });
  const c = makeClient(tracker.url, randomBytes(20).toString('hex'));
  try {
    const warning = new Promise<string>((resolve) => c.once('warning', (e: Error) => resolve(e.message)));
    c.start();
    assert.equal(await warning, 'info_hash not allowed');
    await until(() => tracker.stats().connections === 1, 2000, 'connection');
    // The reference client would close its socket on an error without `action`; ours stays open.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tracker.stats().connections, 1);
    assert.equal(tracker.metrics.connectionsTotal.get(), 1);
  } finally {
    await destroy(c);
    await tracker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('scrape and stop from the reference client', async () => {
  const tracker = await createTracker({ port: 0 });
  const infoHash = randomBytes(20).toString('hex');
  const c = makeClient(tracker.url, infoHash);
  try {
    c.start();
    await until(() => tracker.stats().peers === 1, 5000, 'peer');
    const scraped = new Promise<{ incomplete: number; infoHash: string }>((resolve) => c.once('scrape', resolve));
    c.scrape();
    const s = await scraped;
    assert.equal(s.infoHash, infoHash);
    assert.equal(s.incomplete, 1);
    c.stop();
    await until(() => tracker.stats().peers === 0 && tracker.stats().swarms === 0, 5000, 'stopped peer removed');
  } finally {
    await destroy(c);
    await tracker.close();
  }
});
