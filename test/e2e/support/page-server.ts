/**
 * Serves e2e viewer pages over plain HTTP on 127.0.0.1, for browsers driven without request routing (Firefox
 * through WebDriver BiDi, WebKitGTK through WebDriver) and wherever one page URL must work in every browser.
 * A page is the rig's `<video id="video">`, the entry's parameters, and the bundled entry script (see bundle.ts);
 * it is not served by the origin, so it never shows up in the origin's byte meter.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  readonly url: string;
  /** Registers a page; returns its URL. `vendor` scripts (player dists) run first, as script tags would. */
  add(label: string, script: string, params: unknown): string;
  close(): Promise<void>;
}

interface Page {
  script: string;
  params: unknown;
}

function html(params: unknown): string {
  return (
    '<!doctype html><meta charset="utf-8"><title>viewer</title>' +
    '<video id="video" muted playsinline style="width:320px"></video>' +
    `<script>window.__viewerParams = ${JSON.stringify(params).replace(/</g, '\\u003c')};</script>` +
    '<script src="viewer.js"></script>'
  );
}

export async function startPageServer(): Promise<PageServer> {
  const pages = new Map<string, Page>();
  const server = http.createServer((req, res) => {
    const m = /^\/p\/([^/]+)\/(index\.html|viewer\.js)$/.exec((req.url ?? '').split('?')[0] ?? '');
    const page = m?.[1] === undefined ? undefined : pages.get(decodeURIComponent(m[1]));
    if (!m || !page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such page');
      return;
    }
    const isScript = m[2] === 'viewer.js';
    res
      .writeHead(200, {
        'Content-Type': isScript ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      })
      .end(isScript ? page.script : html(page.params));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    add(label, script, params) {
      pages.set(label, { script, params });
      return `${url}/p/${encodeURIComponent(label)}/index.html`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
