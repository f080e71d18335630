/**
 * A small HTTP control surface so code running inside a browser (Karma tests, demo pages) can act on the
 * servers of the run: stop and restart the tracker. The origin has its own control endpoints (/_meter,
 * /_throttle).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestTracker } from './test-tracker.js';

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startControlServer(tracker: TestTracker | undefined): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const route = `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0] ?? '/'}`;
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const act = async (): Promise<unknown> => {
      switch (route) {
        case 'POST /tracker/stop':
          await tracker?.stop();
          return { running: tracker?.running ?? false };
        case 'POST /tracker/start':
          await tracker?.start();
          return { running: tracker?.running ?? false };
        case 'GET /tracker':
          return { running: tracker?.running ?? false, url: tracker?.url };
        default:
          return undefined;
      }
    };
    act()
      .then((body) => {
        if (body === undefined) reply(404, { error: `unknown control route ${route}` });
        else reply(200, body);
      })
      .catch((err: unknown) => {
        reply(500, { error: String(err) });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
