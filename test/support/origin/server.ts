import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LiveOptions, LiveTimeline } from './live-clock.js';
import { liveTimeline } from './live-clock.js';
import { isHashListPath, liveHashList, vodHashList } from './hash-lists.js';
import { handleLive, isNotFound } from './live.js';
import { ByteMeter } from './meter.js';
import type { Body } from './respond.js';
import { contentTypeFor, sendBody, sendJson, sendPreflight, sendText, setCors } from './respond.js';
import type { ParsedRequest } from './request.js';
import { BadRequest, parseRequest, resolveUnder } from './request.js';
import type { ThrottleSettings, ThrottleUpdate } from './throttle.js';
import { ThrottleState } from './throttle.js';

export interface OriginOptions {
  /** Directory served; default: the repo's `test/fixtures`. */
  root?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Per-connection body rate; 0/undefined = unlimited. */
  bandwidthBytesPerSec?: number;
  /** Added before the response headers of every non-control request. */
  latencyMs?: number;
  /**
   * Gzip HLS playlists and DASH MPDs for clients that accept it, as CDNs do; the meter then counts the compressed
   * bytes. Default false: tests compare the meter with file sizes.
   */
  compressManifests?: boolean;
  /**
   * Serve `segments-sha256.json` (PeerTube's hash list, as `swarmcast-hash` writes it) in every folder holding a
   * manifest, and for the live simulator (DASH looped segments hashed as served). Default true. A request path
   * prefixed `/nolist/` (after any `/c/<client>/`) serves the same media with every hash list missing (404).
   */
  hashLists?: boolean;
  live?: Partial<LiveOptions>;
}

export interface Origin {
  /** `http://host:port` without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly meter: ByteMeter;
  /** Partial update; with `clientId` it only applies to that client's requests. */
  setThrottle(t: ThrottleUpdate): void;
  close(): Promise<void>;
}

export const DEFAULT_ROOT = fileURLToPath(new URL('../../fixtures/', import.meta.url));

interface Ctx {
  root: string;
  meter: ByteMeter;
  throttle: ThrottleState;
  timeline: LiveTimeline;
  compressManifests: boolean;
  hashLists: boolean;
}

const OPTION_KEYS = [
  'root',
  'host',
  'port',
  'bandwidthBytesPerSec',
  'latencyMs',
  'compressManifests',
  'hashLists',
  'live',
];
const LIVE_KEYS = ['windowSegments', 'startEpochMs', 'segmentDurationSec', 'now'];

function rejectUnknown(obj: object, known: string[], what: string): void {
  const unknown = Object.keys(obj).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new TypeError(`unknown ${what} option(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
}

export async function startOrigin(options: OriginOptions = {}): Promise<Origin> {
  rejectUnknown(options, OPTION_KEYS, 'origin');
  rejectUnknown(options.live ?? {}, LIVE_KEYS, 'origin live');
  const ctx: Ctx = {
    root: path.resolve(options.root ?? DEFAULT_ROOT),
    meter: new ByteMeter(),
    throttle: new ThrottleState({
      bandwidthBytesPerSec: options.bandwidthBytesPerSec ?? 0,
      latencyMs: options.latencyMs ?? 0,
    }),
    timeline: liveTimeline(options.live, Date.now()),
    compressManifests: options.compressManifests ?? false,
    hashLists: options.hashLists ?? true,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      sendText(res, 500, `origin error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    meter: ctx.meter,
    setThrottle: (t) => ctx.throttle.update(t),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive and in-flight (throttled) responses would otherwise hold close() open.
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') {
    sendPreflight(req, res);
    return;
  }
  setCors(req, res);
  let parsed: ParsedRequest;
  try {
    parsed = parseRequest(req);
  } catch (err) {
    if (err instanceof BadRequest) sendText(res, err.status, err.message);
    else throw err;
    return;
  }
  if (parsed.path === '/_meter' || parsed.path.startsWith('/_meter/') || parsed.path === '/_throttle') {
    control(ctx, req, res, parsed);
    return;
  }
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    sendText(res, 405, 'method not allowed');
    return;
  }

  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const { clientId } = parsed;
  let urlPath = parsed.path;
  let hashLists = ctx.hashLists;
  if (urlPath.startsWith('/nolist/')) {
    urlPath = urlPath.slice('/nolist'.length);
    hashLists = false;
  }
  ctx.meter.countRequest(clientId, urlPath);
  const settings = effectiveThrottle(ctx, parsed);
  if (settings.latencyMs > 0)
    await sleep(settings.latencyMs, undefined, { signal: abort.signal }).catch(() => undefined);
  if (abort.signal.aborted) return;
  const send = (body: Body, type: string): Promise<void> =>
    sendBody(req, res, body, type, {
      rate: () => effectiveThrottle(ctx, parsed).bandwidthBytesPerSec,
      compressManifests: ctx.compressManifests,
      onBytes: (n) => ctx.meter.addBytes(clientId, urlPath, n),
      signal: abort.signal,
    });

  if (isHashListPath(urlPath)) {
    const live = urlPath.startsWith('/live/');
    const dirRel = path.posix.dirname(live ? urlPath.slice('/live'.length) : urlPath);
    const dir = resolveUnder(ctx.root, dirRel);
    if (dir === undefined) {
      sendText(res, 403, 'path traversal refused');
      return;
    }
    const list = !hashLists
      ? ({ kind: 'absent' } as const)
      : live
        ? await liveHashList(ctx.root, path.relative(ctx.root, dir), ctx.timeline)
        : await vodHashList(dir);
    if (list.kind === 'absent') {
      sendText(res, 404, 'no hash list');
      return;
    }
    if (list.kind === 'json') return send({ kind: 'buffer', data: Buffer.from(list.text) }, contentTypeFor('.json'));
    const size = (await stat(list.file)).size;
    return send({ kind: 'file', file: list.file, size }, contentTypeFor(list.file));
  }
  let filePath = urlPath;
  if (urlPath.startsWith('/live/')) {
    const live = await handleLive(ctx.root, urlPath.slice('/live'.length), parsed.query, ctx.timeline);
    if (live.kind === 'error') {
      sendText(res, live.status, live.message);
      return;
    }
    if (live.kind === 'text') return send({ kind: 'buffer', data: Buffer.from(live.text) }, live.contentType);
    if (live.kind === 'buffer') return send({ kind: 'buffer', data: live.data }, contentTypeFor(urlPath));
    filePath = live.path;
  }
  const file = resolveUnder(ctx.root, filePath);
  if (file === undefined) {
    sendText(res, 403, 'path traversal refused');
    return;
  }
  const found = await findFile(file);
  if (found === undefined) {
    sendText(res, 404, 'not found');
    return;
  }
  return send({ kind: 'file', file: found.file, size: found.size }, contentTypeFor(found.file));
}

/** A file, or a directory's index.html (so a demo page can live under root). */
async function findFile(file: string): Promise<{ file: string; size: number } | undefined> {
  try {
    const st = await stat(file);
    if (st.isFile()) return { file, size: st.size };
    if (st.isDirectory()) return await findFile(path.join(file, 'index.html'));
    return undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Query params `throttleBytesPerSec` / `latencyMs` beat the client's settings, which beat the global ones. */
function effectiveThrottle(ctx: Ctx, parsed: ParsedRequest): ThrottleSettings {
  const base = ctx.throttle.settingsFor(parsed.identified ? parsed.clientId : undefined);
  const bw = numberParam(parsed.query, 'throttleBytesPerSec');
  const lat = numberParam(parsed.query, 'latencyMs');
  return { bandwidthBytesPerSec: bw ?? base.bandwidthBytesPerSec, latencyMs: lat ?? base.latencyMs };
}

function numberParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function control(ctx: Ctx, req: IncomingMessage, res: ServerResponse, parsed: ParsedRequest): void {
  const key = `${req.method ?? 'GET'} ${parsed.path}`;
  switch (key) {
    case 'GET /_meter':
    case 'HEAD /_meter': {
      sendJson(res, ctx.meter.snapshot());
      return;
    }
    case 'POST /_meter/reset':
      ctx.meter.reset();
      {
        sendText(res, 204, '');
        return;
      }
    case 'GET /_throttle':
    case 'HEAD /_throttle': {
      sendJson(res, ctx.throttle.toJSON());
      return;
    }
    case 'POST /_throttle': {
      const q = parsed.query;
      const update: ThrottleUpdate = {};
      for (const name of ['bandwidthBytesPerSec', 'latencyMs'] as const) {
        if (!q.has(name)) continue;
        const n = numberParam(q, name);
        if (n === undefined) {
          sendText(res, 400, `${name} must be a number >= 0`);
          return;
        }
        update[name] = n;
      }
      if (q.get('client')) update.clientId = q.get('client') ?? undefined;
      if (q.get('reset') === 'clients') ctx.throttle.clearClients();
      ctx.throttle.update(update);
      sendText(res, 204, '');
      return;
    }
    default: {
      sendText(res, 404, `unknown control endpoint ${key}`);
      return;
    }
  }
}
