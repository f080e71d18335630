/**
 * Message-rate limits per connection and per IP: a flooder is refused and closed, its NAT neighbours are not;
 * reconnecting does not refill an IP's budget. Limits run on an injected clock where the test needs
 * determinism (a frozen clock never refills a bucket).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracker, type TrackerConfig, type TrackerServer } from '../../../tracker/index.js';
import { RawClient, announce, isFailure, isResponse, randomId, sleep, until, type Msg } from './helpers.js';

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

const isRateLimited = (m: Msg): boolean => m['failure reason'] === 'rate limit exceeded';

void test('a flooder is closed for its own debt; its neighbour on the same IP keeps being served', () => {
  const frozen = Date.now();
  return withTracker(
    {
      connectionMessagesPerSec: 5,
      connectionMessageBurst: 5,
      ipMessagesPerSec: 10,
      ipMessageBurst: 10,
      rateLimitCloseAfterMessages: 20,
    },
    async (t) => {
      const hash = randomId();
      const honestId = randomId();
      const honest = await RawClient.connect(t.url);
      honest.send(announce(hash, honestId, { event: 'started' }));
      await honest.next(isResponse);
      const flooder = await RawClient.connect(t.url);
      // Far more than its own limit: every frame past the first 5 is its own debt, and so are the frames
      // read after we closed it. None of them may cost the IP's budget.
      for (let i = 0; i < 300; i++) flooder.send(announce(randomId(), randomId(), { event: 'stopped' }));
      assert.equal(await flooder.waitClose(), 1008);
      const from = honest.messages.length;
      honest.send(announce(hash, honestId));
      const r = await honest.next((m) => isResponse(m) || isFailure(m), 3000, from);
      assert.equal(isResponse(r), true, `honest neighbour refused: ${JSON.stringify(r)}`);
      assert.equal(honest.closed, false);
    },
    () => frozen,
  );
});

void test('several flooders over the IP budget: only they are refused and closed, a light neighbour is served', () =>
  withTracker(
    {
      connectionMessagesPerSec: 200,
      connectionMessageBurst: 200,
      ipMessagesPerSec: 20,
      ipMessageBurst: 20,
      rateLimitCloseAfterMessages: 300,
    },
    async (t) => {
      const hash = randomId();
      const honestId = randomId();
      const honest = await RawClient.connect(t.url);
      const flooders = await Promise.all(Array.from({ length: 4 }, () => RawClient.connect(t.url)));
      const flooding = { on: true };
      // 80 messages/s each: within their own limit (200/s), far over the IP's 20/s together.
      const flood = (async () => {
        while (flooding.on) {
          for (const f of flooders) if (!f.closed) for (let i = 0; i < 4; i++) f.send(announce(randomId(), randomId()));
          await sleep(50);
        }
      })();
      try {
        // 2 messages/s, under the 20/5 = 4/s share each of the five connections has while the IP is over.
        const answers: Msg[] = [];
        for (let i = 0; i < 6; i++) {
          await sleep(500);
          const from = honest.messages.length;
          honest.send(announce(hash, honestId));
          answers.push(await honest.next((m) => isResponse(m) || isFailure(m), 3000, from));
        }
        assert.deepEqual(
          answers.map((m) => (isResponse(m) ? 'served' : m['failure reason'])),
          Array(6).fill('served'),
        );
        await until(() => flooders.every((f) => f.closed), 10_000, 'flooders closed');
        assert.ok(flooders.every((f) => f.closeCode === 1008));
        assert.ok(flooders.every((f) => f.messages.some(isRateLimited)));
        assert.equal(honest.closed, false);
      } finally {
        flooding.on = false;
        await flood;
      }
    },
  ));

void test('closing and reopening sockets does not refill an IP budget', () => {
  const frozen = Date.now();
  return withTracker(
    { connectionMessagesPerSec: 0, ipMessagesPerSec: 10, ipMessageBurst: 20, rateLimitCloseAfterMessages: 1000 },
    async (t) => {
      let served = 0;
      let refused = 0;
      for (let round = 0; round < 5; round++) {
        const c = await RawClient.connect(t.url);
        for (let i = 0; i < 10; i++) c.send({ action: 'scrape', info_hash: randomId() });
        await until(() => c.messages.length === 10, 3000, 'ten replies');
        served += c.messages.filter((m) => m.action === 'scrape' && !isFailure(m)).length;
        refused += c.messages.filter(isRateLimited).length;
        c.close();
        await until(() => t.stats().connections === 0, 3000, 'socket gone');
      }
      // The clock is frozen: the IP's 20-message burst is all there is, however many sockets ask.
      assert.deepEqual({ served, refused }, { served: 20, refused: 30 });
    },
    () => frozen,
  );
});

void test('a rate-limit error names the swarm of the refused message', () => {
  const frozen = Date.now();
  return withTracker(
    { connectionMessagesPerSec: 1, connectionMessageBurst: 1 },
    async (t) => {
      const c = await RawClient.connect(t.url);
      const hash = randomId();
      c.send(announce(hash, randomId()));
      c.send(announce(hash, randomId(), { offers: [] }));
      c.send('{"action":"announce","not":"json"');
      const [e1, e2] = await Promise.all([
        c.next(isRateLimited),
        c.next((m) => isRateLimited(m) && m.info_hash === undefined),
      ]);
      assert.deepEqual([e1.action, e1.info_hash], ['announce', hash]);
      assert.equal(e2.action, 'announce');
    },
    () => frozen,
  );
});
