/**
 * Integrity in the load lifecycle: bytes from a peer are checked against the origin (its hash list, else a spot
 * check) before anything uses them. A forged or truncated copy is never delivered, stored or announced; its sender
 * is banned and the segment comes over HTTP. The origin is the real test origin (fixtures, hash lists, Range).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../../../core/engine.js';
import type { IntegrityMode } from '../../../../core/integrity/verdict.js';
import { vodSegmentId } from '../../../../core/ids.js';
import type { SegmentDescriptor } from '../../../../core/types.js';
import { DEFAULT_ROOT, startOrigin, type Origin } from '../../../support/origin/index.js';
import { FakeNetwork, FakePeer, type FakeDownload, type FakeSwarm } from '../fake-swarm.js';

const PLAYLIST = 'hls-ts/360p/index.m3u8';

/** Present as the platform's WebRTC and WebSocket: the fake network never uses them. */
class Stub {
  readonly stub = true;
}

let origin: Origin;
let files: { name: string; bytes: Uint8Array }[] = [];

before(async () => {
  origin = await startOrigin();
  const text = await readFile(path.join(DEFAULT_ROOT, PLAYLIST), 'utf8');
  const names = text.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  files = await Promise.all(
    names.slice(0, 6).map(async (name) => ({
      name: name.trim(),
      bytes: new Uint8Array(await readFile(path.join(DEFAULT_ROOT, path.dirname(PLAYLIST), name.trim()))),
    })),
  );
});
after(() => origin.close());

interface Rig {
  engine: Engine;
  swarm: FakeSwarm;
  streamId: string;
  segments: SegmentDescriptor[];
  banned: { peerId: string; reason: string }[];
}

/** An engine on the real origin (`/nolist/` hides the hash lists) with one fake peer 'P' that holds everything. */
async function rig(integrity: IntegrityMode, lists: boolean): Promise<Rig> {
  const net = new FakeNetwork();
  const engine = new Engine(
    {
      integrity,
      p2pJoinWhenPlayable: false,
      httpSeedEnabled: false,
      schedulerIntervalMs: 20,
      trackerUrls: ['ws://x'],
    },
    { createNetwork: () => net, RTCPeerConnection: Stub as never, WebSocket: Stub as never },
  );
  const base = `${origin.url}${lists ? '' : '/nolist'}/${path.dirname(PLAYLIST)}`;
  engine.setContent({ manifestUrl: `${base}/index.m3u8` });
  const streamId = engine.addStream({ type: 'main', rendition: { bandwidth: 139120, width: 640, height: 360 } });
  const segments = files.map((f, i) => ({
    id: vodSegmentId(i * 2),
    url: `${base}/${f.name}`,
    startSec: i * 2,
    durationSec: 2,
  }));
  engine.updateSegments(streamId, segments, { live: false });
  engine.setActiveStream(streamId);
  engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 0 });
  const banned: Rig['banned'] = [];
  engine.on('peer-banned', (e) => banned.push({ peerId: e.peerId, reason: e.reason }));
  for (let i = 0; i < 100 && net.swarms.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const swarm = [...net.swarms.values()][0];
  assert.ok(swarm, 'joined the swarm');
  const peer = new FakePeer('P', 10_000_000);
  for (const s of segments) peer.haves.add(s.id);
  swarm.addPeer(peer);
  return { engine, swarm, streamId, segments, banned };
}

/** Serves every request with `bytes(i)` for segment i, telling `total(i)` as the size. */
function serve(
  r: Rig,
  bytes: (i: number) => Uint8Array,
  total: (i: number) => number = (i) => bytes(i).byteLength,
): void {
  r.swarm.onDownload = (d: FakeDownload) => {
    const i = r.segments.findIndex((s) => s.id === d.segmentId);
    d.totalBytes = total(i);
    d.push(bytes(i).subarray(d.fromByte));
    d.finish();
  };
}

const forged = (i: number): Uint8Array => (files[i]?.bytes ?? new Uint8Array()).map((b) => b ^ 0x5a);
const genuine = (i: number): Uint8Array => files[i]?.bytes ?? new Uint8Array();

/** Asks for segment 3 with 6 s buffered (time in hand: the peer is tried first). */
async function request(r: Rig): Promise<{ data: Uint8Array; source: string }> {
  r.engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 6 });
  const res = await r.engine.loadSegment(r.streamId, r.segments[3]?.id ?? '');
  return { data: new Uint8Array(res.data), source: res.source };
}

void describe('integrity: nothing a peer forges reaches the player', () => {
  for (const lists of [true, false]) {
    const how = lists ? 'the hash list' : 'the spot check (no hash list)';
    void it(`forged bytes of the right size are caught by ${how}: peer banned, HTTP bytes delivered`, async () => {
      const r = await rig('auto', lists);
      serve(r, forged);
      const got = await request(r);
      assert.equal(got.source, 'http');
      assert.deepEqual(got.data, genuine(3));
      // Every copy P sent before its first verdict came back is refused too (checks run while others download).
      assert.ok(r.banned.length >= 1 && r.banned.every((b) => b.peerId === 'P'), JSON.stringify(r.banned));
      assert.match(r.banned[0]?.reason ?? '', lists ? /integrity: SHA-256/ : /integrity: .*(window|differ)/i);
      assert.ok(r.swarm.banned.includes('P'));
      const stats = r.engine.getStats().integrity;
      assert.equal(stats.forged, r.banned.length);
      assert.equal(stats.verified, 0);
      assert.equal(stats.byMethod[lists ? 'hash-list' : 'spot-check'], r.banned.length);
      // The forged copies were never announced: only segments that passed (none here) or came over HTTP are.
      for (const b of r.banned) assert.ok(b.peerId === 'P');
      assert.ok(r.swarm.announced.every((a) => !a.startsWith('have:') || a === `have:${r.segments[3]?.id}`));
      r.engine.destroy();
    });
  }

  void it('a truncated whole-file segment (no byte range) is caught by its length; with integrity off it is played', async () => {
    const truncated = (i: number): Uint8Array => genuine(i).subarray(0, genuine(i).byteLength - 188);
    const on = await rig('auto', false);
    serve(on, truncated);
    const caught = await request(on);
    assert.equal(caught.source, 'http');
    assert.deepEqual(caught.data, genuine(3));
    assert.match(on.banned[0]?.reason ?? '', /integrity: .*\d+ bytes/);
    on.engine.destroy();
    // The hole the check closes: the size the peer claims is all the engine knows without it.
    const off = await rig('off', false);
    serve(off, truncated);
    const played = await request(off);
    assert.equal(played.source, 'p2p');
    assert.equal(played.data.byteLength, genuine(3).byteLength - 188);
    off.engine.destroy();
  });

  void it('genuine peer bytes pass, are delivered from the peer and shared on', async () => {
    const r = await rig('auto', true);
    serve(r, genuine);
    const got = await request(r);
    assert.equal(got.source, 'p2p');
    assert.deepEqual(got.data, genuine(3));
    assert.equal(r.banned.length, 0);
    assert.ok(r.swarm.announced.includes(`have:${r.segments[3]?.id}`));
    assert.ok(r.engine.getStats().integrity.verified >= 1);
    r.engine.destroy();
  });

  void it('a check that cannot conclude uses HTTP without blaming the peer', async () => {
    const r = await rig('hash-list', false); // hash-list mode, no list published: nothing vouches for the copy
    serve(r, genuine);
    const warnings: string[] = [];
    r.engine.on('warning', (w) => warnings.push(w.message));
    const got = await request(r);
    assert.equal(got.source, 'http');
    assert.deepEqual(got.data, genuine(3));
    assert.equal(r.banned.length, 0);
    assert.equal(r.swarm.banned.length, 0);
    assert.match(warnings.join('\n'), /not used .*no hash list/);
    r.engine.destroy();
  });
});
