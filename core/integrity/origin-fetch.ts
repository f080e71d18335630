import type { HttpRequestInit, HttpRequestSetup } from '../types.js';

/** What the integrity checks need to reach the origin: the engine's fetch and its `httpRequestSetup` hook. */
export interface OriginAccess {
  fetch: typeof fetch;
  /** Applied to every request the checks make (headers, credentials, URL rewrite), as to segment requests. */
  httpRequestSetup?: HttpRequestSetup | undefined;
  /** Abandon a request without response headers or body progress for this long. */
  timeoutMs: number;
}

/** Thrown when the caller's signal fired; never the peer's nor the origin's fault. */
export class AbortedError extends Error {
  readonly type = 'aborted';
  constructor() {
    super('aborted');
  }
}

export interface OriginResponse {
  response: Response;
  /** Reads the body up to `maxBytes` (then cancels the rest); undefined `maxBytes` reads it all. */
  read(maxBytes?: number): Promise<Uint8Array>;
  /** Cancels what is left of the body and the timer. */
  close(): void;
}

/**
 * One GET through `httpRequestSetup`, with a timeout re-armed on every chunk and the caller's signal. Rejects with
 * AbortedError when the signal fired, with an Error naming the URL otherwise.
 */
export async function originGet(
  access: OriginAccess,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<OriginResponse> {
  let req: HttpRequestInit = { url, headers: { ...headers } };
  if (access.httpRequestSetup) req = await access.httpRequestSetup(req);
  if (signal?.aborted) throw new AbortedError();
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(), access.timeoutMs);
  };
  const onAbort = (): void => ctrl.abort();
  signal?.addEventListener('abort', onAbort);
  const close = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    ctrl.abort();
  };
  const fail = (e: unknown): never => {
    close();
    if (signal?.aborted) throw new AbortedError();
    throw new Error(ctrl.signal.aborted ? `timeout after ${access.timeoutMs} ms: ${url}` : `${String(e)}: ${url}`);
  };
  arm();
  let response: Response;
  try {
    const doFetch = access.fetch; // unbound: a native fetch called as a method of `access` throws
    response = await doFetch(req.url, {
      headers: req.headers,
      signal: ctrl.signal,
      ...(req.credentials ? { credentials: req.credentials } : {}),
    });
  } catch (e) {
    return fail(e);
  }
  const read = async (maxBytes = Infinity): Promise<Uint8Array> => {
    const parts: Uint8Array[] = [];
    let length = 0;
    try {
      const reader = response.body?.getReader();
      while (reader && length < maxBytes) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        length += value.byteLength;
      }
    } catch (e) {
      fail(e);
    }
    close();
    const out = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  };
  return { response, read, close };
}

/** Resolves after `ms`, or rejects with AbortedError when `signal` fires first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
