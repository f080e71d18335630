/** Shared pieces for the integrity tests. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { FIXTURES_DIR } from '../../../support/fixtures.js';

/**
 * Replaces `crypto.subtle` (a getter on Crypto.prototype) by an own property, as a plain-HTTP page sees it
 * (undefined) or with a stand-in; returns the function that restores it.
 */
export function hideSubtle(replacement?: SubtleCrypto): () => void {
  Object.defineProperty(globalThis.crypto, 'subtle', { value: replacement, configurable: true });
  return () => {
    delete (globalThis.crypto as { subtle?: SubtleCrypto }).subtle;
  };
}

/** Bytes of a fixture file (path relative to test/fixtures). */
export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES_DIR + rel));
}

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Same length, different bytes: what a forger sends to pass a length check. */
export function forged(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.byteLength);
  crypto.getRandomValues(out.subarray(0, Math.min(out.length, 65536)));
  for (let i = 65536; i < out.length; i++) out[i] = (b[i] ?? 0) ^ 0x5a;
  return out;
}

/** Deterministic uniform [0, 1) sequence (mulberry32), so a test's windows are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OddOrigin {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server with the origin behaviours the checks must survive, each serving `body` under its own path:
 * `/ignores-range` (200 with the whole body), `/no-length` (200, chunked, Range ignored), `/star` (206 with
 * `bytes a-b/*`), `/gzip` (206 of a gzip body), `/error` (500), `/hang` (headers never sent), `/list-500`.
 */
export async function startOddOrigin(body: Uint8Array): Promise<OddOrigin> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(`${p} ${req.headers.range ?? '-'}`);
    const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
    const a = Number(m?.[1] ?? 0);
    const b = Math.min(Number(m?.[2] ?? body.length - 1), body.length - 1);
    switch (p) {
      case '/ignores-range':
        res.writeHead(200, { 'Content-Length': body.length });
        res.end(body);
        return;
      case '/no-length':
        res.writeHead(200);
        res.end(body);
        return;
      case '/star':
        res.writeHead(206, { 'Content-Range': `bytes ${a}-${b}/*`, 'Content-Length': b - a + 1 });
        res.end(body.subarray(a, b + 1));
        return;
      case '/gzip': {
        const z = gzipSync(body.subarray(a, b + 1));
        res.writeHead(206, { 'Content-Range': `bytes ${a}-${b}/${body.length}`, 'Content-Encoding': 'gzip' });
        res.end(z);
        return;
      }
      case '/hang':
        return; // never answers; the check's timeout must end it
      default:
        res.writeHead(500);
        res.end('boom');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
