import { createReadStream, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pacedWrite } from './throttle.js';

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mpd': 'application/dash+xml',
  '.ts': 'video/mp2t',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.vtt': 'text/vtt',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const EXPOSED = 'Content-Length, Content-Range, Accept-Ranges, Content-Type, Content-Encoding, Date';

/** Manifests: text that CDNs compress (media segments are already compressed and range-requested). */
const MANIFEST_TYPES = new Set(['application/vnd.apple.mpegurl', 'application/dash+xml']);

/** Whether the request takes a gzip body (RFC 9110 Accept-Encoding, `q=0` refuses). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * The request's Origin is echoed (with credentials allowed) whenever present: the server cannot tell whether
 * the page used `credentials: 'include'`, and `*` would fail those requests.
 */
export function setCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Vary', 'Origin');
  } else {
    res.setHeader('Access-Control-Allow-Origin', '*');
  }
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  // Lets browser tests read transferSize from the Resource Timing API.
  res.setHeader('Timing-Allow-Origin', '*');
}

export function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
  setCors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
  const requested = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', requested ?? 'Range, X-Swarmcast-Client, Content-Type');
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('Cache-Control', 'no-store');
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const body = Buffer.from(text);
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', body.length);
  res.writeHead(status).end(body);
}

export function sendJson(res: ServerResponse, value: unknown): void {
  sendText(res, 200, JSON.stringify(value), 'application/json; charset=utf-8');
}

export type Body = { kind: 'file'; file: string; size: number } | { kind: 'buffer'; data: Buffer };

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** Parses a single `bytes=` range; multi-range or malformed headers are ignored (full body, as RFC 9110 allows). */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export interface SendContext {
  rate: () => number;
  /** Gzip manifests for clients that accept it (whole-body requests only), as CDNs do. */
  compressManifests: boolean;
  onBytes: (n: number) => void;
  signal: AbortSignal;
}

/** Status line, Range handling and a paced body for a file or an in-memory buffer. */
export async function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  body: Body,
  contentType: string,
  ctx: SendContext,
): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', contentType);
  if (ctx.compressManifests && MANIFEST_TYPES.has(contentType)) {
    res.setHeader('Vary', [res.getHeader('Vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
    if (!req.headers.range && acceptsGzip(req.headers['accept-encoding'])) {
      const plain = body.kind === 'buffer' ? body.data : await readFile(body.file);
      const data = gzipSync(plain);
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', data.length);
      res.writeHead(200);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      return writePaced(res, data, ctx);
    }
  }
  const size = body.kind === 'file' ? body.size : body.data.length;
  res.setHeader('Accept-Ranges', 'bytes');
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${size}`);
    sendText(res, 416, 'range not satisfiable');
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  res.setHeader('Content-Length', length);
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.writeHead(range ? 206 : 200);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const source =
    body.kind === 'buffer'
      ? body.data.subarray(start, end + 1)
      : createReadStream(body.file, { start, end, highWaterMark: 64 * 1024 });
  return writePaced(res, source, ctx);
}

async function writePaced(res: ServerResponse, source: Buffer | ReadStream, ctx: SendContext): Promise<void> {
  try {
    await pacedWrite(res, source, ctx.rate, ctx.onBytes, ctx.signal);
  } catch {
    res.destroy();
    return;
  } finally {
    if (!Buffer.isBuffer(source)) source.destroy();
  }
  if (ctx.signal.aborted) res.destroy();
  else res.end();
}
