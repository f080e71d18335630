/** Local origin for HTTP loader tests: Range-aware, with misbehaving routes. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BODY = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

export interface TestOrigin {
  url: string;
  hits: Map<string, number>;
  ranges: string[];
  close(): Promise<void>;
}

function sendRange(req: IncomingMessage, res: ServerResponse, body: Uint8Array): void {
  const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
  if (!m) {
    res.writeHead(200, { 'Content-Length': body.byteLength });
    res.end(body);
    return;
  }
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : body.byteLength - 1;
  res.writeHead(206, {
    'Content-Length': end - start + 1,
    'Content-Range': `bytes ${start}-${end}/${body.byteLength}`,
  });
  res.end(body.subarray(start, end + 1));
}

export async function startOrigin(): Promise<TestOrigin> {
  const hits = new Map<string, number>();
  const ranges: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    ranges.push(
      `${path} ${req.headers.range ?? '-'}${req.headers['x-test'] ? ` x-test=${String(req.headers['x-test'])}` : ''}`,
    );
    switch (path) {
      case '/file':
        sendRange(req, res, BODY);
        return;
      case '/norange':
        res.writeHead(200, { 'Content-Length': BODY.byteLength });
        res.end(BODY);
        return;
      case '/slow-ttfb':
        setTimeout(() => {
          sendRange(req, res, BODY);
        }, 400);
        return;
      case '/stall':
        res.writeHead(200, { 'Content-Length': BODY.byteLength });
        res.write(BODY.subarray(0, 10_000));
        return; // never ends
      case '/flaky':
        if (n <= 2) {
          res.writeHead(503);
          res.end();
          return;
        }
        sendRange(req, res, BODY);
        return;
      case '/trickle': {
        // Half the requested range at once, the rest 150 ms later (a transfer caught half-way).
        const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
        const part = m ? BODY.subarray(Number(m[1]), Number(m[2]) + 1) : BODY;
        res.writeHead(m ? 206 : 200, {
          'Content-Length': part.byteLength,
          ...(m ? { 'Content-Range': `bytes ${m[1]}-${m[2]}/${BODY.byteLength}` } : {}),
        });
        const half = Math.floor(part.byteLength / 2);
        res.write(part.subarray(0, half));
        setTimeout(() => res.end(part.subarray(half)), 150);
        return;
      }
      case '/cut':
        if (n === 1) {
          res.writeHead(200, { 'Content-Length': BODY.byteLength });
          res.write(BODY.subarray(0, 40_000), () => setTimeout(() => res.destroy(), 20));
          return;
        }
        sendRange(req, res, BODY);
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    ranges,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
