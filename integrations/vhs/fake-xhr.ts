/**
 * An XMLHttpRequest look-alike that VHS's `@videojs/xhr` drives like a real one (`options.xhr`): it calls
 * `open`, sets `responseType` / headers / `withCredentials`, calls `send`, wires `onload` / `onerror` /
 * `onabort` / `ontimeout`, adds a `progress` listener and wraps `abort`. The bytes come from the engine.
 *
 * Contract kept: completion is always asynchronous (VHS stamps `requestTime` only after `xhr()` returns);
 * never a callback after `abort()`; `bandwidth` is preset so VHS's ABR sample is what HTTP would have shown
 * (VHS computes `request.bandwidth` itself only when it is unset).
 */
import type { LoadOptions, LoadResult } from '../../core/index.js';

type Listener = (event: { type: string; target: FakeXhr; loaded: number; total: number }) => void;

interface ErrorLike {
  type?: string;
  message?: string;
  status?: number;
}

export interface FakeXhrSource {
  /** Starts the engine load. */
  load(opts: LoadOptions): Promise<LoadResult>;
  /** bits/s to preset as `request.bandwidth` for this result, or undefined to let VHS measure it. */
  bandwidthFor(result: LoadResult): number | undefined;
  /** Whether the request carried a Range header (the answer is then 206, like the origin's). */
  ranged: boolean;
}

export class FakeXhr {
  readyState = 0;
  status = 0;
  statusText = '';
  response: ArrayBuffer | null = null;
  responseText = '';
  responseURL = '';
  responseType: XMLHttpRequestResponseType = '';
  withCredentials = false;
  timeout = 0;
  /** Set before completion when the bytes did not come from a plain HTTP transfer; see bandwidthFor. */
  bandwidth: number | undefined;
  /** Where the bytes came from (diagnostics; not part of XHR). */
  swarmcastSource: LoadResult['source'] | undefined;
  onreadystatechange: (() => void) | null = null;
  onload: (() => void) | null = null;
  onerror: ((e?: unknown) => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: ((e?: unknown) => void) | null = null;
  onprogress: ((e?: unknown) => void) | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private controller: AbortController | undefined;
  private url = '';

  constructor(private readonly source: FakeXhrSource) {}

  open(_method: string, url: string): void {
    this.url = url;
    this.readyState = 1;
  }

  setRequestHeader(): void {
    // The engine builds its own requests (Range from the segment description).
  }

  overrideMimeType(): void {
    // Responses are ArrayBuffers.
  }

  getAllResponseHeaders(): string {
    return this.readyState === 4 && this.status ? 'content-type: application/octet-stream\r\n' : '';
  }

  getResponseHeader(name: string): string | null {
    return this.readyState === 4 && this.status && name.toLowerCase() === 'content-type'
      ? 'application/octet-stream'
      : null;
  }

  addEventListener(type: string, fn: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(fn);
  }

  removeEventListener(type: string, fn: Listener): void {
    this.listeners.get(type)?.delete(fn);
  }

  send(): void {
    // @videojs/xhr's retry path calls open/send again on the same object: each send is a fresh load.
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.readyState = 1;
    this.source
      .load({
        signal: controller.signal,
        onProgress: (loaded, total) => {
          // Deferred: the engine may report progress synchronously (store hits) before VHS wired its listener.
          queueMicrotask(() => {
            if (this.controller === controller) this.emit('progress', loaded, total ?? 0);
          });
        },
      })
      .then(
        (result) => {
          // A macrotask later at the earliest, so VHS's requestTime is set even for an instant store hit.
          setTimeout(() => {
            if (this.controller === controller) this.succeed(result);
          }, 0);
        },
        (error: unknown) => {
          setTimeout(() => {
            if (this.controller === controller) this.fail(error as ErrorLike);
          }, 0);
        },
      );
  }

  abort(): void {
    const controller = this.controller;
    if (!controller) return;
    this.controller = undefined;
    controller.abort();
    this.readyState = 4;
    this.status = 0;
    this.onabort?.();
    this.emit('abort', 0, 0);
    this.readyState = 0;
  }

  private succeed(result: LoadResult): void {
    this.controller = undefined;
    this.swarmcastSource = result.source;
    this.bandwidth = this.source.bandwidthFor(result);
    this.readyState = 4;
    this.status = this.source.ranged ? 206 : 200;
    this.statusText = this.status === 206 ? 'Partial Content' : 'OK';
    this.responseURL = this.url;
    this.response = result.data;
    this.emit('progress', result.bytes, result.bytes);
    this.onload?.();
    this.emit('load', result.bytes, result.bytes);
    this.emit('loadend', result.bytes, result.bytes);
  }

  private fail(error: ErrorLike): void {
    this.controller = undefined;
    this.readyState = 4;
    if (error.type === 'http-error' && error.status) {
      // Like a real XHR: a completed request with an error status; VHS turns non-2xx into its own error.
      this.status = error.status;
      this.response = new ArrayBuffer(0);
      this.responseURL = this.url;
      this.onload?.();
      this.emit('loadend', 0, 0);
      return;
    }
    const e = Object.assign(new Error(error.message ?? error.type ?? 'swarmcast load failed'), {
      ...(error.type === 'timeout' ? { code: 'ETIMEDOUT' } : {}),
    });
    if (error.type === 'timeout') this.ontimeout?.(e);
    else this.onerror?.(e);
    this.emit('loadend', 0, 0);
  }

  private emit(type: string, loaded: number, total: number): void {
    const event = { type, target: this, loaded, total, lengthComputable: total > 0 };
    if (type === 'progress') this.onprogress?.(event);
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn(event);
  }
}
