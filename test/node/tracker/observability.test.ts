/** /metrics, /health and /stats.json; info_hashes stay private unless enabled. Plus protocol unit checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker, parseRequest, TRACKER_DEFAULTS } from '../../../tracker/index.js';
import { encodeOffer, encodeOfferHead } from '../../../tracker/protocol.js';
import { RawClient, announce, isOffer, isResponse, offers, randomId } from './helpers.js';

void test('/metrics exposes connections, peers, swarms, messages, errors and relay latency', async () => {
  const t = await createTracker({ port: 0 });
  try {
    const hash = randomId();
    const a = await RawClient.connect(t.url);
    a.send(announce(hash, randomId()));
    await a.next(isResponse);
    const b = await RawClient.connect(t.url);
    b.send(announce(hash, randomId(), { offers: offers(1) }));
    await a.next(isOffer);
    b.send('garbage');
    await b.next((m) => m['failure reason'] === 'invalid JSON');
    const res = await fetch(`http://127.0.0.1:${t.port}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    for (const re of [
      /^swarmcast_tracker_connections 2$/m,
      /^swarmcast_tracker_peers 2$/m,
      /^swarmcast_tracker_swarms 1$/m,
      /^swarmcast_tracker_messages_received_total\{type="announce"\} 2$/m,
      /^swarmcast_tracker_messages_received_total\{type="invalid"\} 1$/m,
      /^swarmcast_tracker_messages_sent_total\{type="offer"\} 1$/m,
      /^swarmcast_tracker_errors_total\{reason="invalid"\} 1$/m,
      /^swarmcast_tracker_relay_latency_seconds_count 1$/m,
      /^# TYPE swarmcast_tracker_relay_latency_seconds histogram$/m,
      /^swarmcast_tracker_event_loop_utilization [\d.e-]+$/m,
      /^nodejs_eventloop_lag_p99_seconds [\d.e-]+$/m,
      /^process_resident_memory_bytes \d+$/m,
    ]) {
      assert.match(text, re);
    }
    assert.equal(text.includes(Buffer.from(hash, 'latin1').toString('hex')), false);
    const health = await fetch(`http://127.0.0.1:${t.port}/health`);
    assert.equal(health.status, 200);
    const stats = (await (await fetch(`http://127.0.0.1:${t.port}/stats.json`)).json()) as Record<string, unknown>;
    assert.equal(stats.peers, 2);
    assert.equal(stats.swarms, 1);
    assert.equal(stats.torrents, undefined, 'info_hashes are not listed by default');
    a.close();
    b.close();
  } finally {
    await t.close();
  }
});

void test('/stats.json lists info_hashes only when statsInfoHashes is on', async () => {
  const t = await createTracker({ port: 0, statsInfoHashes: true });
  try {
    const hash = randomId();
    const a = await RawClient.connect(t.url);
    a.send(announce(hash, randomId(), { left: 0 }));
    await a.next(isResponse);
    const peer = randomId();
    a.send(announce(hash, peer, { event: 'started', left: 10 }));
    a.send(announce(hash, peer, { event: 'completed', left: 0 }));
    await a.next((m) => isResponse(m) && m.complete === 2);
    const stats = (await (await fetch(`http://127.0.0.1:${t.port}/stats.json`)).json()) as {
      torrents: Record<string, { complete: number }>;
    };
    assert.deepEqual(stats.torrents, {
      [Buffer.from(hash, 'latin1').toString('hex')]: { complete: 2, incomplete: 0, downloaded: 1 },
    });
    a.close();
  } finally {
    await t.close();
  }
});

void test('protocol: reference-client shapes parse; ids must be 20 latin1 chars', () => {
  const limits = TRACKER_DEFAULTS;
  const id = 'ÿ'.repeat(20);
  const ok = parseRequest(
    JSON.stringify({ action: 'announce', info_hash: id, peer_id: id, left: null, uploaded: 0, downloaded: 0 }),
    limits,
  );
  assert.deepEqual(ok, {
    kind: 'announce',
    infoHash: id,
    peerId: id,
    event: 'update',
    numwant: null,
    seeder: false,
    offers: [],
  });
  const paused = parseRequest(
    JSON.stringify({ action: 'announce', info_hash: id, peer_id: id, event: 'paused', left: 0 }),
    limits,
  );
  assert.equal('kind' in paused && paused.kind === 'announce' && paused.event === 'paused' && paused.seeder, true);
  const bad = parseRequest(JSON.stringify({ action: 'announce', info_hash: id, peer_id: 'Ā'.repeat(20) }), limits);
  assert.deepEqual(bad, { type: 'invalid', action: 'announce', infoHash: id, reason: 'invalid peer_id' });
  const scrape = parseRequest(JSON.stringify({ action: 'scrape', info_hash: id }), limits);
  assert.deepEqual(scrape, { kind: 'scrape', infoHashes: [id] });
  const sdp = 'v=0\r\n"quoted" \u0001 ÿ';
  const expected = JSON.stringify({
    action: 'announce',
    info_hash: id,
    peer_id: '\u0000'.repeat(20),
    offer: { type: 'offer', sdp },
    offer_id: id,
    to_peer_id: 'ÿ'.repeat(20),
  });
  assert.equal(encodeOffer(encodeOfferHead(id, '\u0000'.repeat(20)), { offerId: id, sdp }, 'ÿ'.repeat(20)), expected);
  const noAction = parseRequest('{}', limits);
  assert.equal('action' in noAction && noAction.action, 'announce');
});
