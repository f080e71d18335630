import type { ByteRange } from '../types.js';
import { expectedDigest, parseHashList, segmentKey, type HashListEntry } from './hash-list.js';
import { AbortedError, originGet, sleep, type OriginAccess } from './origin-fetch.js';

/** What a hash list says about one segment. */
export type HashLookup =
  /** The origin lists the segment: its SHA-256, lowercase hex. */
  | { kind: 'hash'; digestHex: string }
  /** The origin publishes no list for this content (404 or 410). */
  | { kind: 'absent-list' }
  /** The list exists but has no entry for the segment (for live: not even after waiting `maxWaitMs`). */
  | { kind: 'not-listed' }
  /** The list could not be fetched or read (5xx, network, timeout, not the expected JSON). */
  | { kind: 'list-error'; message: string };

export interface HashLookupResult {
  result: HashLookup;
  /** Bytes and requests this lookup cost the origin (a list fetch another lookup started is not counted twice). */
  cdnBytes: number;
  cdnRequests: number;
}

export interface HashListSourceOptions extends OriginAccess {
  /** Milliseconds, monotonic. */
  now: () => number;
  /** Live: a list is fetched at most once per this long, however many segments wait for it. */
  refetchIntervalMs: number;
  /** Live: the longest a segment missing from the list waits for a refetch that lists it. */
  maxWaitMs: number;
  /** A list that was missing or failed is asked for again after this long. */
  retryAfterMs: number;
}

/** PeerTube's live player refetches every 500 ms, ten times at most; the same bounds here. */
export const HASH_LIST_DEFAULTS = {
  refetchIntervalMs: 500,
  maxWaitMs: 5000,
  retryAfterMs: 30_000,
  timeoutMs: 10_000,
} as const;

interface ListState {
  status: 'none' | 'ok' | 'absent' | 'error';
  entries: ReadonlyMap<string, HashListEntry>;
  message: string;
  /** When the last fetch ended (whatever its outcome); -Infinity before the first. */
  fetchedAtMs: number;
  inflight: Promise<void> | undefined;
}

/** Fetches, caches and refetches hash lists (one state per list URL, shared by every segment it covers). */
export class HashListSource {
  private readonly lists = new Map<string, ListState>();
  private readonly ctrl = new AbortController();

  constructor(private readonly o: HashListSourceOptions) {}

  /** What the list at `listUrl` says about `segmentUrl` (and `byteRange`). `live`: wait for the list to catch up. */
  async lookup(
    listUrl: string,
    segmentUrl: string,
    byteRange: ByteRange | undefined,
    opts: { live: boolean; signal?: AbortSignal | undefined; maxWaitMs?: number },
  ): Promise<HashLookupResult> {
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.ctrl.signal]) : this.ctrl.signal;
    const key = segmentKey(listUrl, segmentUrl);
    const cost = { cdnBytes: 0, cdnRequests: 0 };
    const done = (result: HashLookup): HashLookupResult => ({ result, ...cost });
    const deadline = this.o.now() + (opts.live ? (opts.maxWaitMs ?? this.o.maxWaitMs) : 0);
    let st = this.lists.get(listUrl);
    if (!st)
      this.lists.set(
        listUrl,
        (st = { status: 'none', entries: new Map(), message: '', fetchedAtMs: -Infinity, inflight: undefined }),
      );
    for (;;) {
      if (signal.aborted) throw new AbortedError();
      const sinceFetch = this.o.now() - st.fetchedAtMs;
      const retry = (st.status === 'absent' || st.status === 'error') && sinceFetch >= this.o.retryAfterMs;
      if (st.inflight) {
        await st.inflight;
        continue;
      }
      if (st.status === 'none' || retry) {
        await this.fetchList(listUrl, st, signal, cost);
        continue;
      }
      if (st.status === 'absent') return done({ kind: 'absent-list' });
      if (st.status === 'error') return done({ kind: 'list-error', message: st.message });
      const digestHex = key === undefined ? undefined : expectedDigest(st.entries, key, byteRange);
      if (digestHex !== undefined) return done({ kind: 'hash', digestHex });
      const now = this.o.now();
      if (key === undefined || now >= deadline) return done({ kind: 'not-listed' });
      // Live: the segment may be newer than our copy of the list. One refetch per interval serves every waiter.
      const wait = st.fetchedAtMs + this.o.refetchIntervalMs - now;
      if (wait > 0) {
        await sleep(Math.min(wait, deadline - now), signal);
        if (this.o.now() >= deadline && this.o.now() - st.fetchedAtMs < this.o.refetchIntervalMs) {
          return done({ kind: 'not-listed' });
        }
        continue;
      }
      await this.fetchList(listUrl, st, signal, cost);
    }
  }

  private fetchList(
    url: string,
    st: ListState,
    signal: AbortSignal,
    cost: { cdnBytes: number; cdnRequests: number },
  ): Promise<void> {
    const run = async (): Promise<void> => {
      cost.cdnRequests++;
      try {
        const res = await originGet(this.o, url, {}, signal);
        const status = res.response.status;
        if (status === 404 || status === 410) {
          res.close();
          if (st.status !== 'ok') st.status = 'absent';
          return;
        }
        if (!res.response.ok) {
          res.close();
          throw new Error(`HTTP ${status} for ${url}`);
        }
        const body = await res.read();
        cost.cdnBytes += body.byteLength;
        st.entries = parseHashList(JSON.parse(new TextDecoder().decode(body)));
        st.status = 'ok';
      } catch (e) {
        if (e instanceof AbortedError) throw e;
        // A refetch that fails keeps the list already read: it still vouches for what it listed.
        if (st.status !== 'ok') {
          st.status = 'error';
          st.message = `hash list ${url}: ${e instanceof Error ? e.message : String(e)}`;
        }
      }
    };
    const p = run().finally(() => {
      st.fetchedAtMs = this.o.now();
      st.inflight = undefined;
    });
    st.inflight = p.catch(() => undefined);
    return p;
  }

  destroy(): void {
    this.ctrl.abort();
    this.lists.clear();
  }
}
