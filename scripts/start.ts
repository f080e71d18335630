/**
 * `npm start` (after `npm run build`): starts the demo servers (scripts/demo-servers.ts) and prints the
 * dashboard's URL. Ports: SWARMCAST_ORIGIN_PORT (8080), SWARMCAST_TRACKER_PORT (8000), SWARMCAST_DEMO_PORT (8081).
 */
import { DEFAULT_DEMO_PORTS, startDemo } from './demo-servers.js';

function port(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const demo = await startDemo({
  originPort: port('SWARMCAST_ORIGIN_PORT', DEFAULT_DEMO_PORTS.originPort),
  trackerPort: port('SWARMCAST_TRACKER_PORT', DEFAULT_DEMO_PORTS.trackerPort),
  pagesPort: port('SWARMCAST_DEMO_PORT', DEFAULT_DEMO_PORTS.pagesPort),
});

console.log(`
swarmcast demo
  origin  ${demo.origin.url}   (fixtures; live streams under /live/…; byte meter at /_meter)
  tracker ${demo.tracker.url}   (${demo.tracker.kind})

  open    ${demo.pageUrl()}

Pick a player and a stream, then "Add viewer" (or open the URL in more tabs) to watch viewers share segments.
Ctrl+C stops.`);

const shutdown = (): void => {
  void demo.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
