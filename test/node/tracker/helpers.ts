/** Raw WebSocket tracker client and helpers for the tracker tests. Every wait is bounded in time. */
import { randomBytes } from 'node:crypto';
import { WebSocket, type ClientOptions } from 'ws';

export type Msg = Record<string, unknown>;

export function randomId(): string {
  return randomBytes(20).toString('latin1');
}

export class RawClient {
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  closed = false;
  closeCode = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let m: Msg;
      try {
        m = JSON.parse((data as Buffer).toString()) as Msg;
      } catch {
        return;
      }
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(m)) return true;
        w.resolve(m);
        return false;
      });
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    ws.on('error', () => undefined);
  }

  static connect(url: string, opts: ClientOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, ...opts });
      const client = new RawClient(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('connect timeout'));
      }, 5000);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`HTTP ${res.statusCode}`));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  send(m: Msg | string): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  /** Next message (already received or future) matching `pred`; rejects after `timeoutMs`. */
  next(pred: (m: Msg) => boolean, timeoutMs = 3000, from = 0): Promise<Msg> {
    const found = this.messages.slice(from).find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (m: Msg) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timeout waiting for message; got ${JSON.stringify(this.messages.slice(-3))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** True if no message matching `pred` arrives within `ms`. */
  async none(pred: (m: Msg) => boolean, ms = 300): Promise<boolean> {
    await sleep(ms);
    return !this.messages.some(pred);
  }

  waitClose(timeoutMs = 3000): Promise<number> {
    if (this.closed) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout waiting for close')), timeoutMs);
      this.ws.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function announce(infoHash: string, peerId: string, extra: Msg = {}): Msg {
  return {
    action: 'announce',
    info_hash: infoHash,
    peer_id: peerId,
    numwant: 5,
    uploaded: 0,
    downloaded: 0,
    left: 100,
    ...extra,
  };
}

export function offers(
  n: number,
  sdp = 'v=0 fake offer',
): { offer: { type: string; sdp: string }; offer_id: string }[] {
  return Array.from({ length: n }, () => ({ offer: { type: 'offer', sdp }, offer_id: randomId() }));
}

export const isOffer = (m: Msg): boolean => m.offer !== undefined;
export const isAnswer = (m: Msg): boolean => m.answer !== undefined;
export const isResponse = (m: Msg): boolean => m.interval !== undefined;
export const isFailure = (m: Msg): boolean => m['failure reason'] !== undefined;

/** Polls `cond` every 50 ms until true; rejects after `timeoutMs`. */
export async function until(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`timeout waiting for ${what}`);
}
