/**
 * The tracker socket's liveness and reconnects on node:test's mock timers: a silent tracker is probed and given
 * up within the documented bound, reconnects spread over a window that grows with the failures, a refusal names
 * its swarm (or none) and the swarm announces again after a growing delay.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { REFUSED_RETRY_MIN_MS } from '../../../../core/p2p/connector.js';
import {
  TRACKER_TIMINGS,
  TrackerSocket,
  reconnectDelayMs,
  type TrackerUser,
} from '../../../../core/p2p/tracker-client.js';
import { flush, joinedConnector } from './fake-tracker.js';

class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  /** Like a browser: the close event comes later (here: never, the far end is gone). */
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  fail(): void {
    this.readyState = 3;
    this.onerror?.();
    this.onclose?.();
  }
  receive(m: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

interface Heard {
  problems: string[];
  failures: string[];
  messages: Record<string, unknown>[];
  opened: number;
}

function user(infoHashBinary: string): TrackerUser & Heard {
  const heard: Heard = { problems: [], failures: [], messages: [], opened: 0 };
  return Object.assign(heard, {
    infoHashBinary,
    onTrackerOpen: () => {
      heard.opened++;
    },
    onTrackerMessage: (_t: TrackerSocket, m: Record<string, unknown>) => void heard.messages.push(m),
    onTrackerFailure: (_t: TrackerSocket, reason: string) => void heard.failures.push(reason),
    onTrackerProblem: (_url: string, kind: string, message: string) => void heard.problems.push(`${kind}: ${message}`),
  });
}

const socket = (random = 0.5): TrackerSocket =>
  new TrackerSocket(
    'ws://t',
    FakeWebSocket as unknown as typeof WebSocket,
    () => random,
    () => undefined,
  );
const last = (): FakeWebSocket => FakeWebSocket.instances.at(-1)!;

void describe('tracker socket liveness', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    FakeWebSocket.instances = [];
  });
  afterEach(() => {
    mock.timers.reset();
  });

  void test('reconnects spread over a window that doubles with each failure in a row, reset once the tracker talks', () => {
    assert.equal(reconnectDelayMs(1, 0), TRACKER_TIMINGS.reconnectMinMs);
    const windows = [30, 60, 120, 240, 300, 300].map((s) => s * 1000);
    for (const [i, w] of windows.entries()) {
      assert.equal(reconnectDelayMs(i + 1, 1), TRACKER_TIMINGS.reconnectMinMs + w, `window of failure ${i + 1}`);
    }
    const r = 0.25;
    const s = socket(r);
    for (const w of windows) {
      const count = FakeWebSocket.instances.length;
      last().fail();
      const delay = TRACKER_TIMINGS.reconnectMinMs + r * w;
      mock.timers.tick(delay - 1);
      assert.equal(FakeWebSocket.instances.length, count, `no reconnect before ${delay} ms`);
      mock.timers.tick(1);
      assert.equal(FakeWebSocket.instances.length, count + 1, `reconnect at ${delay} ms`);
    }
    last().open();
    last().receive({ action: 'announce', interval: 120 });
    last().fail();
    mock.timers.tick(TRACKER_TIMINGS.reconnectMinMs + r * windows[0]!);
    assert.equal(FakeWebSocket.instances.length, windows.length + 2, 'back to the first window');
    s.destroy();
  });

  void test('a silent tracker is probed, then given up within silence + reply timeout; a live one is kept', () => {
    const s = socket();
    const u = user('h'.repeat(20));
    s.add(u);
    last().open();
    const first = last();
    mock.timers.tick(TRACKER_TIMINGS.silenceMs - 1);
    assert.equal(first.sent.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(first.sent, [{ action: 'scrape', info_hash: 'h'.repeat(20) }], 'a probe after the silence');
    // Answered (a scrape reply names no swarm): alive, and probed again only after another silence.
    first.receive({ action: 'scrape', files: {} });
    mock.timers.tick(TRACKER_TIMINGS.replyTimeoutMs + 1);
    assert.equal(first.closed, false);
    mock.timers.tick(TRACKER_TIMINGS.silenceMs - TRACKER_TIMINGS.replyTimeoutMs - 2);
    assert.equal(first.sent.length, 1);
    mock.timers.tick(1);
    assert.equal(first.sent.length, 2);
    // Not answered this time: the socket is given up and a new one is made after the reconnect delay.
    mock.timers.tick(TRACKER_TIMINGS.replyTimeoutMs);
    assert.equal(first.closed, true);
    assert.equal(s.open, false);
    assert.ok(u.problems.some((p) => p.startsWith('warning: no reply from the tracker')));
    mock.timers.tick(reconnectDelayMs(1, 0.5));
    assert.equal(FakeWebSocket.instances.length, 2);
    last().open();
    assert.equal(u.opened, 2, 'the swarm joins again on the new socket');
    // The old socket's late events change nothing.
    first.receive({ action: 'announce', info_hash: 'h'.repeat(20), interval: 1 });
    first.fail();
    assert.equal(u.messages.length, 0);
    assert.equal(FakeWebSocket.instances.length, 2);
    s.destroy();
  });

  void test('an announce left unanswered gives the tracker up after the reply timeout', () => {
    const s = socket();
    s.add(user('h'.repeat(20)));
    last().open();
    s.send({ action: 'announce', info_hash: 'h'.repeat(20) });
    mock.timers.tick(TRACKER_TIMINGS.replyTimeoutMs - 1);
    assert.equal(last().closed, false);
    // Answers to relayed offers get no reply from trackers: they do not arm the timer.
    s.send({ action: 'announce', answer: { type: 'answer', sdp: 'x' } });
    mock.timers.tick(1);
    assert.equal(last().closed, true);
    s.destroy();
  });

  void test('a refusal goes to the swarm it names, or to none', () => {
    const s = socket();
    const a = user('a'.repeat(20));
    const b = user('b'.repeat(20));
    s.add(a);
    s.add(b);
    last().open();
    last().receive({ action: 'announce', info_hash: 'a'.repeat(20), 'failure reason': 'rate limit exceeded' });
    last().receive({ action: 'announce', 'failure reason': 'rate limit exceeded' });
    last().receive({ action: 'announce', info_hash: 'c'.repeat(20), 'failure reason': 'info_hash not allowed' });
    assert.deepEqual(a.failures, ['rate limit exceeded']);
    assert.deepEqual(a.problems, ['error: rate limit exceeded']);
    assert.deepEqual([b.failures, b.problems], [[], []]);
    s.destroy();
  });

  void test('a refused announce is sent again after a growing delay, not a whole interval later', async () => {
    const { sent, tracker, respond, connector, peers } = await joinedConnector(
      { interval: 120, complete: 0, incomplete: 5 },
      { random: () => 1 }, // no jitter: the delay is the base
    );
    peers[0] = 1; // someone is connected: no early re-announce for want of peers
    const refuse = async (expectedDelayMs: number): Promise<void> => {
      const count = sent.length;
      connector.onTrackerFailure(tracker, 'rate limit exceeded');
      mock.timers.tick(expectedDelayMs - 1);
      await flush();
      assert.equal(sent.length, count, `nothing before ${expectedDelayMs} ms`);
      mock.timers.tick(1);
      await flush();
      assert.equal(sent.length, count + 1, `announced again at ${expectedDelayMs} ms`);
    };
    await refuse(REFUSED_RETRY_MIN_MS);
    await refuse(REFUSED_RETRY_MIN_MS * 2);
    await refuse(REFUSED_RETRY_MIN_MS * 4);
    respond({ interval: 120, complete: 0, incomplete: 5 });
    await refuse(REFUSED_RETRY_MIN_MS);
    connector.destroy();
  });
});
