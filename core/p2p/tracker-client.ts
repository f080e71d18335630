/** One WebSocket per tracker URL, shared by every swarm of a network (WebTorrent WS protocol, JSON text frames). */

/**
 * Timings of a tracker socket. Browsers never show WebSocket pings to the page, so liveness is judged from
 * messages: after `silenceMs` without one we send a probe (a scrape of one of our swarms, which every WebTorrent
 * tracker answers, with counts or an error), and a request (announce or probe) unanswered for `replyTimeoutMs`
 * means the tracker or the path to it is gone (frozen process, half-open path after a Wi-Fi or NAT change).
 * A silent tracker is therefore given up at most `silenceMs + replyTimeoutMs` after its last message.
 *
 * Reconnecting waits `reconnectMinMs` plus a uniformly random part of a window that starts at
 * `reconnectWindowMs` and doubles with each consecutive failure up to `reconnectWindowMaxMs`. After a tracker
 * restart its whole audience reconnects spread over the first window instead of within a second or two: 100 000
 * viewers over 30 s is ~3 300 connections/s, which one tracker process absorbs; a tracker still failing is asked
 * less and less often, up to bittorrent-tracker's 5 minutes of spread. Peers already connected keep trading and
 * HTTP covers the rest, so a viewer loses little while its tracker socket waits (only new peers are not found).
 */
export interface TrackerTimings {
  silenceMs: number;
  replyTimeoutMs: number;
  /** A tracker that accepts TCP but never completes the WebSocket handshake must not hold us forever. */
  connectTimeoutMs: number;
  reconnectMinMs: number;
  reconnectWindowMs: number;
  reconnectWindowMaxMs: number;
}

export const TRACKER_TIMINGS: Readonly<TrackerTimings> = Object.freeze({
  silenceMs: 40_000,
  replyTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  reconnectMinMs: 1_000,
  reconnectWindowMs: 30_000,
  reconnectWindowMaxMs: 300_000,
});

/** The window reconnect attempt `failures` (1 = first after a drop) is spread over. */
export function reconnectWindowMs(failures: number, t: Readonly<TrackerTimings> = TRACKER_TIMINGS): number {
  return Math.min(t.reconnectWindowMaxMs, t.reconnectWindowMs * 2 ** Math.max(0, failures - 1));
}

/** Delay before reconnect attempt `failures`, for a random draw `r` in [0, 1). */
export function reconnectDelayMs(failures: number, r: number, t: Readonly<TrackerTimings> = TRACKER_TIMINGS): number {
  return Math.round(t.reconnectMinMs + r * reconnectWindowMs(failures, t));
}

export type TrackerMessage = Record<string, unknown>;

/** A swarm's view of a tracker socket; keyed by its 20-char latin1 info hash. */
export interface TrackerUser {
  readonly infoHashBinary: string;
  onTrackerOpen(tracker: TrackerSocket): void;
  onTrackerMessage(tracker: TrackerSocket, message: TrackerMessage): void;
  /** The tracker refused a message of this swarm (`failure reason` naming its info hash). */
  onTrackerFailure(tracker: TrackerSocket, reason: string): void;
  onTrackerProblem(url: string, kind: 'error' | 'warning', message: string): void;
}

export class TrackerSocket {
  private ws: WebSocket | undefined;
  private readonly users = new Map<string, TrackerUser>();
  /** Consecutive failures: connections lost or never made without a message from the tracker in between. */
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private replyTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(
    readonly url: string,
    private readonly WS: typeof WebSocket,
    private readonly random: () => number,
    private readonly onEmpty: (socket: TrackerSocket) => void,
    private readonly timings: Readonly<TrackerTimings> = TRACKER_TIMINGS,
  ) {
    this.connect();
  }

  get open(): boolean {
    return this.ws?.readyState === 1;
  }

  add(user: TrackerUser): void {
    this.users.set(user.infoHashBinary, user);
    if (this.open) user.onTrackerOpen(this);
  }

  remove(user: TrackerUser): void {
    this.users.delete(user.infoHashBinary);
    if (this.users.size === 0) this.destroy();
  }

  /** Sends one JSON message; false when the socket is not open (the swarm re-announces on reconnect). */
  send(message: TrackerMessage): boolean {
    if (!this.open) return false;
    try {
      this.ws?.send(JSON.stringify(message));
    } catch {
      return false;
    }
    // Announces and scrapes are answered (answers to relayed offers are not): one must come back in time.
    if (message.answer === undefined) this.expectReply();
    return true;
  }

  private connect(): void {
    let ws: WebSocket;
    try {
      ws = new this.WS(this.url);
    } catch (e) {
      this.problem(undefined, 'error', `cannot connect: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.timer = setTimeout(() => {
      if (ws.readyState === 0) this.abandon('connect timeout');
    }, this.timings.connectTimeoutMs);
    ws.onopen = () => {
      clearTimeout(this.timer);
      this.heard();
      for (const user of [...this.users.values()]) user.onTrackerOpen(this);
    };
    ws.onmessage = (e: MessageEvent) => this.receive(e.data);
    ws.onerror = () => undefined; // a close event always follows
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.detach(ws);
      if (this.destroyed) return;
      this.scheduleReconnect();
    };
  }

  /** Something came from the tracker: it is alive; probe again after `silenceMs` of silence. */
  private heard(): void {
    clearTimeout(this.replyTimer);
    this.replyTimer = undefined;
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.probe(), this.timings.silenceMs);
  }

  private expectReply(): void {
    this.replyTimer ??= setTimeout(() => this.abandon('no reply from the tracker'), this.timings.replyTimeoutMs);
  }

  private probe(): void {
    const first = this.users.keys().next();
    if (first.done === true || !this.open) return;
    this.send({ action: 'scrape', info_hash: first.value });
  }

  /** Gives up on the current socket (silent or never opened) and reconnects later. */
  private abandon(reason: string): void {
    const ws = this.ws;
    if (!ws || this.destroyed) return;
    this.detach(ws);
    // A socket that opens after all is closed then; its other late events are detached.
    if (ws.readyState === 0) ws.onopen = () => ws.close();
    try {
      ws.close();
    } catch {
      // closing while connecting throws in some browsers: onopen closes it
    }
    this.problem(undefined, 'warning', `${reason}; reconnecting`);
    this.scheduleReconnect();
  }

  private detach(ws: WebSocket): void {
    if (this.ws === ws) this.ws = undefined;
    ws.onopen = ws.onmessage = ws.onclose = null;
    // Node's `ws` throws on an 'error' without a listener.
    ws.onerror = () => undefined;
    clearTimeout(this.timer);
    clearTimeout(this.silenceTimer);
    clearTimeout(this.replyTimer);
    this.replyTimer = undefined;
  }

  private scheduleReconnect(): void {
    const delay = reconnectDelayMs(++this.failures, this.random(), this.timings);
    this.problem(undefined, 'warning', `disconnected; reconnecting in ${Math.round(delay / 1000)} s`);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    this.heard();
    this.failures = 0;
    let message: unknown;
    try {
      message = JSON.parse(typeof data === 'string' ? data : '');
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const m = message as TrackerMessage;
    // A message names the swarm it concerns; one that names another swarm, or none (a probe's scrape reply,
    // an error about a message the tracker could not read), concerns none of ours.
    const user = typeof m.info_hash === 'string' ? this.users.get(m.info_hash) : undefined;
    if (!user) return;
    if (typeof m['failure reason'] === 'string') {
      this.problem(user, 'error', m['failure reason']);
      user.onTrackerFailure(this, m['failure reason']);
      return;
    }
    if (typeof m['warning message'] === 'string') this.problem(user, 'warning', m['warning message']);
    try {
      user.onTrackerMessage(this, m);
    } catch (e) {
      this.problem(user, 'warning', `bad message: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Reports to one swarm, or to all when it is about the socket itself. */
  private problem(user: TrackerUser | undefined, kind: 'error' | 'warning', message: string): void {
    for (const u of user ? [user] : [...this.users.values()]) u.onTrackerProblem(this.url, kind, message);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearTimeout(this.timer);
    this.users.clear();
    const ws = this.ws;
    if (ws) {
      this.detach(ws);
      try {
        // Closing a socket still connecting throws in some browsers; closing right after it opens avoids that.
        if (ws.readyState === 0) ws.onopen = () => ws.close();
        else ws.close();
      } catch {
        // nothing to release
      }
    }
    this.onEmpty(this);
  }
}
