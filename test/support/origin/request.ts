import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ANONYMOUS_CLIENT } from './meter.js';

export const CLIENT_HEADER = 'x-swarmcast-client';

/** A request URL reduced to what routing needs. */
export interface ParsedRequest {
  /** Decoded path with the `/c/<id>` prefix removed; always starts with `/`. */
  path: string;
  query: URLSearchParams;
  clientId: string;
  /** Whether a client id was given explicitly (header, query or prefix). */
  identified: boolean;
}

export class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Client id precedence: header, then `client` query param, then the `/c/<id>/` path prefix. The prefix is
 * stripped whatever the winner, because relative URIs inside playlists inherit it and must still resolve.
 */
export function parseRequest(req: IncomingMessage): ParsedRequest {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new BadRequest(400, 'malformed percent-encoding in path');
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    throw new BadRequest(400, 'invalid path');
  }
  if (decoded.split('/').some((seg) => seg === '..')) throw new BadRequest(403, 'path traversal refused');

  let p = decoded;
  let prefixId: string | undefined;
  const m = /^\/c\/([^/]+)(\/.*)?$/.exec(p);
  if (m?.[1] !== undefined) {
    prefixId = m[1];
    p = m[2] ?? '/';
  }
  const header = req.headers[CLIENT_HEADER];
  const headerId = Array.isArray(header) ? header[0] : header;
  const id = nonEmpty(headerId) ?? nonEmpty(query.get('client')) ?? prefixId;
  return { path: p, query, clientId: id ?? ANONYMOUS_CLIENT, identified: id !== undefined };
}

function nonEmpty(s: string | null | undefined): string | undefined {
  return s === null || s === undefined || s.trim() === '' ? undefined : s.trim();
}

/** Maps a URL path to a file under root, or undefined when it would escape root. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  const abs = path.resolve(root, '.' + path.posix.normalize(urlPath));
  const rel = path.relative(root, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return abs;
}
