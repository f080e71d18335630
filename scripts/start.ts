/**
 * `npm start` (after `npm run build`): the origin on the fixtures (with its live simulator), a local
 * WebTorrent tracker, and a static server for samples/ and dist/; prints the URL to open.
 * Ports: SWARMCAST_ORIGIN_PORT (8080), SWARMCAST_TRACKER_PORT (8000), SWARMCAST_DEMO_PORT (8081);
 * a busy port falls back to a free one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrigin, type Origin } from '../test/support/origin/index.js';
import { startDemoTracker } from './demo-tracker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function port(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function withFallbackPort<T>(preferred: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(preferred);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    console.warn(`port ${preferred} is busy; using a free port instead`);
    return start(0);
  }
}

const origin: Origin = await withFallbackPort(port('SWARMCAST_ORIGIN_PORT', 8080), (p) => startOrigin({ port: p }));
const tracker = await withFallbackPort(port('SWARMCAST_TRACKER_PORT', 8000), (p) => startDemoTracker(p));
const demo: Origin = await withFallbackPort(port('SWARMCAST_DEMO_PORT', 8081), (p) =>
  startOrigin({ root: ROOT, port: p }),
);

const query = new URLSearchParams({ origin: origin.url, tracker: tracker.url });
console.log(`
swarmcast demo
  origin  ${origin.url}   (fixtures; live streams under /live/…; byte meter at /_meter)
  tracker ${tracker.url}   (${tracker.kind})

  open    ${demo.url}/samples/index.html?${query.toString()}

Open the page in two or more tabs to watch viewers share segments. Ctrl+C stops.`);

const shutdown = (): void => {
  void Promise.all([origin.close(), tracker.close(), demo.close()]).then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
