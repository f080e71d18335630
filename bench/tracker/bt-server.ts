/** bittorrent-tracker 10.0.12's server, WebSocket only, as the benchmark baseline. Prints its URL on stderr. */
import { Server } from 'bittorrent-tracker';

const server = new Server({ http: false, udp: false, ws: true, stats: false });
server.on('warning', () => undefined);
server.on('error', (err: Error) => {
  process.stderr.write(`bittorrent-tracker error: ${err.message}\n`);
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.http?.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stderr.write(`listening on ws://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
