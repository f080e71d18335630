/**
 * Plain HTTP endpoints next to the WebSocket upgrade: `/metrics` (Prometheus text), `/health`, and
 * `/stats.json` (totals; per-info_hash counts only when `statsInfoHashes` is on).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { idToHex } from './protocol.js';
import type { ScrapeFile } from './protocol.js';

export interface HttpSources {
  metricsText: () => Promise<string>;
  health: () => { ok: boolean; [k: string]: unknown };
  stats: () => Record<string, unknown>;
  swarmStats: (() => Iterable<[string, ScrapeFile]>) | null;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, src: HttpSources): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/metrics') {
    src.metricsText().then(
      (text) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${String(err)}\n`);
      },
    );
    return;
  }
  if (path === '/health') {
    const h = src.health();
    res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
    return;
  }
  if (path === '/stats.json') {
    const body: Record<string, unknown> = { ...src.stats() };
    if (src.swarmStats) {
      const swarms: Record<string, ScrapeFile> = {};
      for (const [h, s] of src.swarmStats()) swarms[idToHex(h)] = s;
      body.torrents = swarms;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('swarmcast tracker: connect with WebSocket\n');
    return;
  }
  res.writeHead(404).end();
}
