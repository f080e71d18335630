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
import type { EngineSettings } from '../../../../core/settings.js';
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
async function rig(integrity: IntegrityMode, lists: boolean, settings: Partial<EngineSettings> = {}): Promise<Rig> {
  const net = new FakeNetwork();
  const engine = new Engine(
    {
      ...settings,
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
      assert.deepEqual(
        r.banned.map((b) => b.peerId),
        ['P'],
      );
      assert.match(r.banned[0]?.reason ?? '', lists ? /integrity: SHA-256/ : /integrity: .*(window|differ)/i);
      assert.ok(r.swarm.banned.includes('P'));
      const stats = r.engine.getStats().integrity;
      assert.equal(stats.forged, 1);
      assert.equal(stats.verified, 0);
      assert.equal(stats.byMethod[lists ? 'hash-list' : 'spot-check'], 1);
      // The forged copies were never announced: only segments that passed (none here) or came over HTTP are.
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

void describe('integrity: a ban is final and single', () => {
  for (const lists of [true, false]) {
    const how = lists ? 'hash list' : 'spot check';
    const title = `${how}: what the forger still had in flight is cancelled at once, with no second verdict or event`;
    void it(title, { timeout: 30_000 }, async () => {
      // The integrator's validator runs before the origin's check: holding it keeps P's copies of 3 and 4 waiting
      // for their verdicts until the engine has asked P for 5 too, so the first verdict finds all of them in hand.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const r = await rig('auto', lists, {
        validateSegment: (_seg, _data, source) => (source === 'p2p' ? gate.then(() => true) : true),
      });
      after(() => r.engine.destroy());
      // P forges everything: 3 and 4 arrive whole, 5 only in part, the rest of it still on its way.
      const open = new Set<FakeDownload>();
      const asked = new Map<number, FakeDownload>();
      r.swarm.onDownload = (d) => {
        const i = r.segments.findIndex((s) => s.id === d.segmentId);
        d.totalBytes = forged(i).byteLength;
        asked.set(i, d);
        if (i === 5) {
          open.add(d);
          d.push(forged(5).subarray(d.fromByte, d.fromByte + 1000));
        } else {
          d.push(forged(i).subarray(d.fromByte));
          d.finish();
        }
        if ([3, 4, 5].every((k) => asked.has(k))) setTimeout(release, 50);
      };
      // As the real swarm: dropping the peer closes its connection, failing whatever it still had to send.
      const ban = r.swarm.banPeer.bind(r.swarm);
      r.swarm.banPeer = (peerId) => {
        ban(peerId);
        for (const d of open) if (d.peerId === peerId && !d.cancelled) d.fail('peer-closed');
      };
      const uncancelledAtBan: string[] = [];
      r.engine.on('peer-banned', () => {
        for (const d of open) if (!d.cancelled) uncancelledAtBan.push(d.segmentId);
      });
      const peerErrors: string[] = [];
      r.engine.on('peer-error', (e) => peerErrors.push(`${e.segmentId}: ${e.error.type}`));

      const got = await request(r);
      assert.equal(got.source, 'http');
      assert.deepEqual(got.data, genuine(3));
      assert.ok(asked.has(4) && asked.has(5), 'P was not asked for 4 and 5 with 3: nothing was tested');
      assert.deepEqual(uncancelledAtBan, [], 'transfers from P still running when it was banned');
      // The forged copy of 4 and the forged part of 5 are gone: asked for now, they are the origin's bytes.
      for (const i of [4, 5]) {
        const res = await r.engine.loadSegment(r.streamId, r.segments[i]?.id ?? '');
        assert.deepEqual(new Uint8Array(res.data), genuine(i), `segment ${i}`);
        assert.notEqual(res.source, 'p2p');
      }
      await new Promise((resolve) => setTimeout(resolve, 300)); // any verdict still on its way
      assert.deepEqual(
        r.banned.map((b) => b.peerId),
        ['P'],
        'peer-banned once',
      );
      assert.deepEqual(r.swarm.banned, ['P'], 'the swarm told to ban once');
      assert.deepEqual(peerErrors, [], 'the cancelled transfers reported as peer failures');
      const stats = r.engine.getStats().integrity;
      assert.equal(stats.forged, 1, 'one proof, one verdict counted');
      assert.equal(stats.failed, 1);
    });
  }
});
