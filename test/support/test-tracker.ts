/**
 * A real WebTorrent tracker on 127.0.0.1 for tests, benchmarks and the demo, which tests can stop and start
 * again on the same port (to check that clients reconnect).
 */
import { Server } from 'bittorrent-tracker';

export interface TestTracker {
  /** ws:// URL clients announce to. Stable across stop/start. */
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** WebSocket connections accepted since start, across stop/start (a no-WebRTC page must open none). */
  readonly connections: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

type WsTrackerServer = Server;

function createServer(onConnection: () => void): WsTrackerServer {
  const server = new Server({ udp: false, http: false, ws: true, stats: false, trustProxy: false });
  // The tracker logs malformed client input as warnings; tests provoke that on purpose.
  server.on('warning', () => undefined);
  server.on('error', () => undefined);
  server.ws?.on('connection', onConnection);
  return server;
}

function listen(server: WsTrackerServer, port: number): Promise<number> {
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve(server.ws?.address().port ?? port);
    });
  });
}

function shutdown(server: WsTrackerServer): Promise<void> {
  // Closing the server waits for open sockets; terminate them so a "stopped" tracker really is gone.
  for (const client of server.ws?.clients ?? []) client.terminate();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

export async function startTestTracker(options: { port?: number } = {}): Promise<TestTracker> {
  let connections = 0;
  const counted = (): void => {
    connections++;
  };
  let server: WsTrackerServer | undefined = createServer(counted);
  const port = await listen(server, options.port ?? 0);
  const stop = async (): Promise<void> => {
    if (!server) return;
    const current = server;
    server = undefined;
    await shutdown(current);
  };
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get running() {
      return server !== undefined;
    },
    get connections() {
      return connections;
    },
    stop,
    async start() {
      if (server) return;
      const next = createServer(counted);
      await listen(next, port);
      server = next;
    },
    close: stop,
  };
}
