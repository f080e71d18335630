/** One WebSocket per tracker URL, shared by every swarm of a network (WebTorrent WS protocol, JSON text frames). */

export const RECONNECT_MIN_MS = 1500;
export const RECONNECT_MAX_MS = 60_000;
/** A tracker that accepts TCP but never completes the WebSocket handshake must not hold us forever. */
export const CONNECT_TIMEOUT_MS = 10_000;

export type TrackerMessage = Record<string, unknown>;

/** A swarm's view of a tracker socket; keyed by its 20-char latin1 info hash. */
export interface TrackerUser {
  readonly infoHashBinary: string;
  onTrackerOpen(tracker: TrackerSocket): void;
  onTrackerMessage(tracker: TrackerSocket, message: TrackerMessage): void;
  onTrackerProblem(url: string, kind: 'error' | 'warning', message: string): void;
}

export class TrackerSocket {
  private ws: WebSocket | undefined;
  private readonly users = new Map<string, TrackerUser>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor(
    readonly url: string,
    private readonly WS: typeof WebSocket,
    private readonly random: () => number,
    private readonly onEmpty: (socket: TrackerSocket) => void,
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
      return true;
    } catch {
      return false;
    }
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
      if (ws.readyState === 0) ws.close();
    }, CONNECT_TIMEOUT_MS);
    ws.onopen = () => {
      clearTimeout(this.timer);
      for (const user of [...this.users.values()]) user.onTrackerOpen(this);
    };
    ws.onmessage = (e: MessageEvent) => this.receive(e.data);
    ws.onerror = () => undefined; // a close event always follows
    ws.onclose = () => {
      clearTimeout(this.timer);
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (this.destroyed) return;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    // Exponential backoff with jitter so a restarted tracker is not hit by every viewer at once.
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.attempt++);
    const delay = Math.round(base * (0.5 + this.random() * 0.5));
    this.problem(undefined, 'warning', `disconnected; reconnecting in ${Math.round(delay / 1000)} s`);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(typeof data === 'string' ? data : '');
    } catch {
      this.problem(undefined, 'warning', 'unparseable message');
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const m = message as TrackerMessage;
    this.attempt = 0;
    const user = typeof m.info_hash === 'string' ? this.users.get(m.info_hash) : undefined;
    if (typeof m['failure reason'] === 'string') {
      this.problem(user, 'error', m['failure reason']);
      return;
    }
    if (typeof m['warning message'] === 'string') this.problem(user, 'warning', m['warning message']);
    try {
      user?.onTrackerMessage(this, m);
    } catch (e) {
      this.problem(user, 'warning', `bad message: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Reports to one swarm, or to all when the message is not about a known info hash. */
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
      ws.onopen = ws.onmessage = ws.onclose = null;
      // Node's `ws` throws on an 'error' without a listener.
      ws.onerror = () => undefined;
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
