/**
 * Peers that lie, one test per lie: id-list amplification, announcement and message floods, duplicate requests,
 * `loading` forever, `absent` after `have`. Wire budgets on one Peer through a fake channel; remembered lies on
 * real swarms (wrtc, real tracker) with a clock the test moves.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONDUCT } from '../../../../core/p2p/conduct.js';
import { decode, encode, T } from '../../../../core/p2p/codec.js';
import { LOADING_CLAIM_MAX_MS } from '../../../../core/p2p/claims.js';
import { createP2PNetwork, type P2PNetwork, type Swarm } from '../../../../core/p2p/index.js';
import type { PeerOffence } from '../../../../core/p2p/types.js';
import { WIRE_BUDGET } from '../../../../core/p2p/wire-budget.js';
import { Writer } from '../../../../core/p2p/wire.js';
import { startTestTracker } from '../../../support/test-tracker.js';
import { harness, MAX_MESSAGE_BYTES } from './fake-channel.js';
import { next, platform, swarmOptions, waitFor } from './support.js';

/** An id list of one run `<prefix>0 … <prefix>(count − 1)`: about ten bytes whatever the count. */
function runList(w: Writer, prefix: string, count: number): Writer {
  return w.varint(1).u8(1).str(prefix).varint(1).varint(0).varint(count).varint(1);
}
function frame(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, body.length);
  out.set(body, 5);
  return out;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

void describe('lies on the wire (one peer, fake channel)', () => {
  void test('id-list amplification: a 270-byte message no longer makes us build more ids than we keep of a peer', () => {
    // Three lists of 65 536 ids each in one DELTA, and a FULL naming 65 536: each a few dozen bytes.
    const delta = frame(
      T.ANNOUNCE_DELTA,
      runList(runList(runList(new Writer(), 'a', 65_536), 'b', 65_536), 'c', 65_536).finish(),
    );
    const full = frame(T.ANNOUNCE_FULL, runList(new Writer(), 's', 65_536).varint(0).finish());
    for (const f of [delta, full]) assert.ok(f.length <= 270, `${f.length} bytes`);
    // What these messages name, i.e. what an unbounded decoder builds (and kept, for the FULL, before the fix).
    const named = (f: Uint8Array): number => {
      const m = decode(f, MAX_MESSAGE_BYTES, Infinity);
      return m.t === T.ANNOUNCE_DELTA
        ? m.have.length + m.loading.length + m.removed.length
        : m.t === T.ANNOUNCE_FULL
          ? m.have.length + m.loading.length
          : 0;
    };
    assert.equal(named(delta), 196_608);
    assert.equal(named(full), 65_536);
    for (const f of [delta, full]) {
      const h = harness();
      h.feed(f);
      // Refused before a single id of the oversized run is built: the peer holds none and is dropped and banned.
      assert.equal(h.peer.has('s0') || h.peer.has('a0') || h.peer.isLoading('b0'), false);
      assert.equal(h.updates, 0, 'no id list was applied');
      assert.ok(h.peer.closed);
      assert.deepEqual(h.abuses, [`announced over ${WIRE_BUDGET.maxAnnouncedIds} segment ids`]);
    }
    // A message within the per-message budget but over what we keep: built (16 384 ids at most), then dropped.
    const over = harness();
    over.feed(
      frame(
        T.ANNOUNCE_FULL,
        runList(new Writer(), 's', WIRE_BUDGET.maxAnnouncedIds + 1)
          .varint(0)
          .finish(),
      ),
    );
    assert.ok(over.peer.closed);
    assert.deepEqual(over.abuses, [`announced over ${WIRE_BUDGET.maxAnnouncedIds} segment ids`]);
    // Exactly what a peer may keep is accepted.
    const ok = harness();
    ok.feed(frame(T.ANNOUNCE_FULL, runList(new Writer(), 's', WIRE_BUDGET.maxAnnouncedIds).varint(0).finish()));
    assert.ok(!ok.peer.closed && ok.peer.has(`s${WIRE_BUDGET.maxAnnouncedIds - 1}`));
    ok.peer.close('end');
  });

  void test('announcement flood: full announcements of the allowed size, repeated, are cut off by the id budget', () => {
    let clock = 0;
    const h = harness({ now: () => clock });
    const full = frame(T.ANNOUNCE_FULL, runList(new Writer(), 's', 8000).varint(0).finish());
    for (let i = 0; i < 10 && !h.peer.closed; i++) h.feed(full);
    // Ids built: at most the burst (4 × 8000 here), not 10 × 8000.
    assert.equal(h.updates, Math.floor(WIRE_BUDGET.idBurst / 8000));
    assert.deepEqual(h.abuses, [`announcement flood: over ${WIRE_BUDGET.idsPerSec} segment ids/s`]);
    // The same announcements spaced at the sustained rate are fine.
    const paced = harness({ now: () => clock });
    for (let i = 0; i < 10; i++) {
      paced.feed(full);
      clock += (8000 / WIRE_BUDGET.idsPerSec) * 1000;
    }
    assert.ok(!paced.peer.closed);
    paced.peer.close('end');
  });

  void test('message flood: a peer sending junk announcements or request/cancel loops is dropped with the reason', async () => {
    const clock = 0;
    const h = harness({ now: () => clock });
    const empty = encode({ t: T.ANNOUNCE_DELTA, have: [], loading: [], removed: [] });
    for (let i = 0; i < 1000 && !h.peer.closed; i++) h.feed(empty);
    assert.ok(h.peer.closed);
    assert.ok(h.updates <= WIRE_BUDGET.messageBurst, `${h.updates} engine re-plans`);
    assert.match(h.closes[0] ?? '', /message flood: over 512 messages at once or 64\/s/);
    assert.equal(h.abuses.length, 1);
    // REQUEST + CANCEL pairs: each REQUEST is a store lookup.
    const r = harness({ now: () => clock });
    let lookups = 0;
    r.setUpload(true, () => {
      lookups++;
      return Promise.resolve(new Uint8Array(10));
    });
    for (let i = 1; i <= 2000 && !r.peer.closed; i++) {
      r.feed({ t: T.REQUEST, requestId: i, segmentId: 'a', fromByte: 0 });
      r.feed({ t: T.CANCEL, requestId: i });
    }
    await sleep(0);
    assert.ok(r.peer.closed && lookups <= WIRE_BUDGET.messageBurst, `${lookups} store lookups`);
  });

  void test('duplicate requests: a second REQUEST for a segment being uploaded to the same peer drops it', async () => {
    const h = harness();
    h.setUpload(true, () => Promise.resolve(new Uint8Array(4 << 20)));
    h.channel.accumulate = true; // back-pressure: the first upload stays in progress
    h.feed({ t: T.REQUEST, requestId: 1, segmentId: 'big', fromByte: 0 });
    await sleep(0);
    assert.equal(h.peer.activeUploads, 1);
    h.feed({ t: T.REQUEST, requestId: 2, segmentId: 'big', fromByte: 0 });
    assert.ok(h.peer.closed, 'several copies of one segment queued for one peer');
    assert.deepEqual(h.abuses, ['duplicate request for big']);
    // Other segments, and the same one after a CANCEL, are fine.
    const ok = harness();
    ok.setUpload(true, () => Promise.resolve(new Uint8Array(4 << 20)));
    ok.channel.accumulate = true;
    ok.feed({ t: T.REQUEST, requestId: 1, segmentId: 'a', fromByte: 0 });
    ok.feed({ t: T.REQUEST, requestId: 2, segmentId: 'b', fromByte: 0 });
    ok.feed({ t: T.CANCEL, requestId: 1 });
    ok.feed({ t: T.REQUEST, requestId: 3, segmentId: 'a', fromByte: 100 });
    await sleep(0);
    assert.equal(ok.peer.activeUploads, 2);
    assert.ok(!ok.peer.closed);
    ok.peer.close('end');
  });

  void test('DATA for a request id we never sent is a protocol error', () => {
    const h = harness();
    h.feed({ t: T.DATA, requestId: 7, totalBytes: 10, offset: 0, chunk: new Uint8Array(10) });
    assert.match(h.closes[0] ?? '', /protocol error: DATA for no request/);
  });

  void test('loading claims age out after LOADING_CLAIM_MAX_MS, and re-announcing does not renew them', () => {
    let clock = 0;
    const h = harness({ now: () => clock });
    h.feed({ t: T.ANNOUNCE_DELTA, have: [], loading: ['x'], removed: [] });
    assert.ok(h.peer.isLoading('x'));
    clock += LOADING_CLAIM_MAX_MS / 2;
    h.feed({ t: T.ANNOUNCE_DELTA, have: [], loading: [], removed: ['x'] });
    h.feed({ t: T.ANNOUNCE_DELTA, have: [], loading: ['x'], removed: [] });
    clock += LOADING_CLAIM_MAX_MS / 2;
    assert.equal(h.peer.isLoading('x'), false, 'the first claim’s age counts');
    assert.equal(h.peer.expireLoadingClaims(), 1);
    // A claim that becomes `have` in time is not a lie.
    h.feed({ t: T.ANNOUNCE_DELTA, have: [], loading: ['y'], removed: [] });
    clock += 1000;
    h.feed({ t: T.ANNOUNCE_DELTA, have: ['y'], loading: [], removed: [] });
    clock += LOADING_CLAIM_MAX_MS;
    assert.equal(h.peer.expireLoadingClaims(), 0);
    assert.ok(h.peer.has('y'));
    h.peer.close('end');
  });

  void test('ABSENT for a segment the peer announced and never withdrew is reported; after a withdrawal it is not', async () => {
    const h = harness();
    h.feed({ t: T.ANNOUNCE_FULL, have: ['x', 'y'], loading: [] });
    const lie = h.peer.download('x', 0);
    h.feed({ t: T.ABSENT, requestId: 1 });
    await assert.rejects(lie.result, (e: { type: string }) => e.type === 'absent');
    assert.deepEqual(h.offences, ['absent-after-have']);
    const honest = h.peer.download('y', 0);
    h.feed({ t: T.ANNOUNCE_DELTA, have: [], loading: [], removed: ['y'] }); // evicted before our request arrived
    h.feed({ t: T.ABSENT, requestId: 2 });
    await assert.rejects(honest.result);
    const never = h.peer.download('z', 0); // never announced: a plain miss
    h.feed({ t: T.ABSENT, requestId: 3 });
    await assert.rejects(never.result);
    assert.deepEqual(h.offences, ['absent-after-have']);
    h.peer.close('end');
  });
});

void describe('remembered lies (real swarms, real tracker)', { timeout: 90_000 }, () => {
  async function pair(): Promise<{
    a: Swarm;
    b: Swarm;
    nets: P2PNetwork[];
    skew: { ms: number };
    close: () => Promise<void>;
  }> {
    const tracker = await startTestTracker();
    const skew = { ms: 0 };
    const clockA = { ...platform, now: () => performance.now() + skew.ms };
    const nets = [createP2PNetwork(clockA), createP2PNetwork(platform)];
    const a = nets[0]!.createSwarm(swarmOptions([tracker.url]));
    await sleep(300);
    const b = nets[1]!.createSwarm(swarmOptions([tracker.url]));
    await waitFor('connected', () => a.peers().length === 1 && b.peers().length === 1);
    return {
      a,
      b,
      nets,
      skew,
      close: async () => {
        for (const n of nets) n.destroy();
        await tracker.close();
      },
    };
  }

  void test('loading forever: the claim stops counting after 8 s, the peer is distrusted, and dropped when it repeats', async () => {
    const { a, b, nets, skew, close } = await pair();
    try {
      const bId = nets[1]!.peerId;
      const penalties: [PeerOffence, number][] = [];
      a.on('peer-penalized', (_id, offence, untilMs) => penalties.push([offence, untilMs]));
      b.announceHave('held');
      for (let round = 1; round <= CONDUCT.maxStrikes; round++) {
        b.announceLoading(`x${round}`); // and never `have`
        await waitFor('the claim', () => a.whoIsLoading(`x${round}`).length === 1);
        skew.ms += LOADING_CLAIM_MAX_MS;
        assert.equal(a.whoIsLoading(`x${round}`).length, 0, 'an 8 s old claim is not waited for');
        if (round === CONDUCT.maxStrikes) break;
        await waitFor('the penalty', () => penalties.length === round);
        assert.equal(penalties[round - 1]?.[0], 'loading-expired');
        assert.equal(a.whoHas('held').length, 0, 'none of its claims is believed during the penalty');
        skew.ms += CONDUCT.penaltyMs * 2 ** (round - 1);
        assert.equal(a.whoHas('held').length, 1, 'believed again once the penalty is over');
      }
      const [closedId, reason] = await next(a, 'peer-close');
      assert.equal(closedId, bId);
      assert.match(
        reason,
        /banned: 3 broken claims within 120 s \(loading-expired, loading-expired, loading-expired\)/,
      );
    } finally {
      await close();
    }
  });

  void test('absent after have: penalized by the swarm itself, dropped when it repeats; stalls reported by the engine count too', async () => {
    const { a, b, nets, skew, close } = await pair();
    try {
      const bId = nets[1]!.peerId;
      const offences: PeerOffence[] = [];
      a.on('peer-penalized', (_id, offence) => offences.push(offence));
      b.setUploadSource(() => Promise.resolve(undefined)); // announces, never serves
      b.announceHave('x');
      await waitFor('the announcement', () => a.whoHas('x').length === 1);
      await assert.rejects(a.download(bId, 'x', 0).result, (e: { type: string }) => e.type === 'absent');
      await waitFor('the penalty', () => offences.length === 1);
      assert.deepEqual(offences, ['absent-after-have']);
      assert.equal(a.whoHas('x').length, 0);
      skew.ms += CONDUCT.penaltyMs;
      assert.equal(a.whoHas('x').length, 1);
      a.penalize(bId, 'stalled'); // the engine saw a transfer without bytes
      assert.deepEqual(offences, ['absent-after-have', 'stalled']);
      skew.ms += 2 * CONDUCT.penaltyMs;
      const closed = next(a, 'peer-close');
      await assert.rejects(a.download(bId, 'x', 0).result);
      assert.match(
        (await closed)[1],
        /banned: 3 broken claims within 120 s \(absent-after-have, stalled, absent-after-have\)/,
      );
    } finally {
      await close();
    }
  });

  void test('honest peers are not penalized: eviction before the request, uploads switched off, a claim turned into have', async () => {
    const { a, b, nets, close } = await pair();
    try {
      const bId = nets[1]!.peerId;
      const offences: PeerOffence[] = [];
      a.on('peer-penalized', (_id, offence) => offences.push(offence));
      b.setUploadSource((id) => Promise.resolve(id === 'kept' ? new Uint8Array(100) : undefined));
      b.announceHave('evicted');
      b.announceHave('kept');
      b.announceLoading('fetching');
      await waitFor('announcements', () => a.whoHas('kept').length === 1 && a.whoIsLoading('fetching').length === 1);
      b.announceRemoved('evicted');
      await waitFor('the removal', () => a.whoHas('evicted').length === 0);
      await assert.rejects(a.download(bId, 'evicted', 0).result);
      b.announceHave('fetching');
      const slow = a.download(bId, 'kept', 0);
      await slow.result;
      b.setUploadEnabled(false);
      await waitFor('the withdrawal', () => a.whoHas('kept').length === 0);
      await sleep(LOADING_CLAIM_MAX_MS / 4);
      assert.deepEqual(offences, []);
      assert.equal(a.peers().length, 1);
    } finally {
      await close();
    }
  });

  void test('a sender holding more than a receiver keeps announces only its newest ids, and is not dropped', async () => {
    const { a, b, close } = await pair();
    try {
      b.setUploadEnabled(true);
      const n = WIRE_BUDGET.maxAnnouncedIds + 100;
      for (let i = 0; i < n; i++) b.announceHave(`t${i}`);
      await waitFor('the newest id', () => a.whoHas(`t${n - 1}`).length === 1);
      await sleep(200);
      assert.equal(a.peers().length, 1);
      assert.equal(a.whoHas('t99').length, 0, 'the oldest were withdrawn');
      assert.equal(a.whoHas('t100').length, 1);
    } finally {
      await close();
    }
  });
});
