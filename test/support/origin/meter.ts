/** Bytes and requests per client and per path; totals are what tests compare HTTP offload against. */
export interface MeterEntry {
  bytes: number;
  requests: number;
}

export interface MeterSnapshot {
  totalBytes: number;
  requests: number;
  byClient: Record<string, MeterEntry>;
  byPath: Record<string, MeterEntry>;
}

export const ANONYMOUS_CLIENT = 'anonymous';

export class ByteMeter {
  private totalBytes = 0;
  private requests = 0;
  private byClient = new Map<string, MeterEntry>();
  private byPath = new Map<string, MeterEntry>();
  /** Per client, per path: what one viewer fetched, to compare two viewers request by request. */
  private byClientPath = new Map<string, Map<string, MeterEntry>>();

  /** Counted when a request arrives, so requests that fail or are aborted still show up. */
  countRequest(clientId: string, path: string): void {
    this.requests += 1;
    entry(this.byClient, clientId).requests += 1;
    entry(this.byPath, path).requests += 1;
    entry(this.pathsOf(clientId), path).requests += 1;
  }

  /** Called per chunk once the socket accepted it: aborted downloads only count what was really sent. */
  addBytes(clientId: string, path: string, bytes: number): void {
    this.totalBytes += bytes;
    entry(this.byClient, clientId).bytes += bytes;
    entry(this.byPath, path).bytes += bytes;
    entry(this.pathsOf(clientId), path).bytes += bytes;
  }

  bytesFor(clientId: string): number {
    return this.byClient.get(clientId)?.bytes ?? 0;
  }

  /** Bytes and requests of one client, by path (query strings are not part of the path). */
  pathsFor(clientId: string): Record<string, MeterEntry> {
    return toRecord(this.byClientPath.get(clientId) ?? new Map<string, MeterEntry>());
  }

  private pathsOf(clientId: string): Map<string, MeterEntry> {
    let paths = this.byClientPath.get(clientId);
    if (!paths) {
      paths = new Map();
      this.byClientPath.set(clientId, paths);
    }
    return paths;
  }

  snapshot(): MeterSnapshot {
    return {
      totalBytes: this.totalBytes,
      requests: this.requests,
      byClient: toRecord(this.byClient),
      byPath: toRecord(this.byPath),
    };
  }

  reset(): void {
    this.totalBytes = 0;
    this.requests = 0;
    this.byClient.clear();
    this.byPath.clear();
    this.byClientPath.clear();
  }
}

function entry(map: Map<string, MeterEntry>, key: string): MeterEntry {
  let e = map.get(key);
  if (!e) {
    e = { bytes: 0, requests: 0 };
    map.set(key, e);
  }
  return e;
}

function toRecord(map: Map<string, MeterEntry>): Record<string, MeterEntry> {
  const out: Record<string, MeterEntry> = {};
  for (const [k, v] of map) out[k] = { ...v };
  return out;
}
