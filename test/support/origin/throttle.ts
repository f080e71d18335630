import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ThrottleSettings {
  /** Per-connection body rate; 0 = unlimited. */
  bandwidthBytesPerSec: number;
  /** Delay before the response headers. */
  latencyMs: number;
}

export interface ThrottleUpdate {
  bandwidthBytesPerSec?: number;
  latencyMs?: number;
  /** Applies the update to one client only (its requests then ignore the global values given here). */
  clientId?: string;
}

/** Global settings plus per-client overrides; read per chunk so runtime changes apply mid-download. */
export class ThrottleState {
  private global: ThrottleSettings = { bandwidthBytesPerSec: 0, latencyMs: 0 };
  private perClient = new Map<string, Partial<ThrottleSettings>>();

  constructor(initial: ThrottleSettings) {
    this.update(initial);
  }

  update(u: ThrottleUpdate): void {
    const patch: Partial<ThrottleSettings> = {};
    if (u.bandwidthBytesPerSec !== undefined) patch.bandwidthBytesPerSec = checkNonNegative(u.bandwidthBytesPerSec);
    if (u.latencyMs !== undefined) patch.latencyMs = checkNonNegative(u.latencyMs);
    if (u.clientId === undefined) this.global = { ...this.global, ...patch };
    else this.perClient.set(u.clientId, { ...this.perClient.get(u.clientId), ...patch });
  }

  /** Drops every per-client override. */
  clearClients(): void {
    this.perClient.clear();
  }

  settingsFor(clientId?: string): ThrottleSettings {
    const own = clientId === undefined ? undefined : this.perClient.get(clientId);
    return { ...this.global, ...own };
  }

  toJSON(): ThrottleSettings & { clients: Record<string, Partial<ThrottleSettings>> } {
    return { ...this.global, clients: Object.fromEntries(this.perClient) };
  }
}

function checkNonNegative(n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`throttle values must be finite and >= 0, got ${n}`);
  return n;
}

const MAX_CHUNK_BYTES = 16 * 1024;

/**
 * Writes `source` to `res`, pacing chunks so the body leaves at `rate()` bytes/s. Pacing follows a schedule
 * from the start (not a sleep per chunk) so timer lateness does not accumulate. Resolves with the bytes
 * accepted by the socket; stops early when `signal` aborts (client went away).
 */
export async function pacedWrite(
  res: ServerResponse,
  source: AsyncIterable<Buffer> | Buffer,
  rate: () => number,
  onBytes: (n: number) => void,
  signal: AbortSignal,
): Promise<void> {
  let epoch = performance.now();
  let sentSinceEpoch = 0;
  let epochRate = rate();
  const chunks = Buffer.isBuffer(source) ? [source] : source;
  for await (const big of chunks) {
    for (let off = 0; off < big.length;) {
      if (signal.aborted) return;
      const r = rate();
      if (r !== epochRate) {
        epoch = performance.now();
        sentSinceEpoch = 0;
        epochRate = r;
      }
      // Small chunks at low rates keep the flow smooth instead of bursty.
      const size = r > 0 ? Math.max(1024, Math.min(MAX_CHUNK_BYTES, Math.floor(r / 20))) : 256 * 1024;
      const chunk = big.subarray(off, off + size);
      off += chunk.length;
      await writeChunk(res, chunk, signal);
      onBytes(chunk.length);
      if (r > 0) {
        sentSinceEpoch += chunk.length;
        const due = epoch + (sentSinceEpoch / r) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }
}

/** Rejects on abort too: a write callback is not guaranteed to fire once the socket is gone. */
function writeChunk(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new Error('client aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    res.write(chunk, (err) => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    });
  });
}
