/**
 * Serves the fixtures for humans:
 *   node --import tsx test/support/origin/cli.ts --port 8080 --bandwidth 200000 --latency 50 [--root dir]
 *   [--host 127.0.0.1] [--window 10] [--segment-duration 2]
 */
import { parseArgs } from 'node:util';
import { startOrigin } from './server.js';

const USAGE =
  'usage: cli.ts [--port N] [--host H] [--root DIR] [--bandwidth BYTES_PER_SEC] [--latency MS] ' +
  '[--window SEGMENTS] [--segment-duration SEC]';

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a number >= 0, got "${v}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      root: { type: 'string' },
      bandwidth: { type: 'string' },
      latency: { type: 'string' },
      window: { type: 'string' },
      'segment-duration': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const live: { windowSegments?: number; segmentDurationSec?: number } = {};
const windowSegments = num('window', args.window);
if (windowSegments !== undefined) live.windowSegments = windowSegments;
const segmentDurationSec = num('segment-duration', args['segment-duration']);
if (segmentDurationSec !== undefined) live.segmentDurationSec = segmentDurationSec;

const origin = await startOrigin({
  port: num('port', args.port) ?? 8080,
  host: args.host ?? '127.0.0.1',
  ...(args.root !== undefined && { root: args.root }),
  bandwidthBytesPerSec: num('bandwidth', args.bandwidth) ?? 0,
  latencyMs: num('latency', args.latency) ?? 0,
  live,
});
console.log(origin.url);
console.log(`  meter:    ${origin.url}/_meter   (POST /_meter/reset)`);
console.log(`  throttle: ${origin.url}/_throttle (POST ?bandwidthBytesPerSec=N&latencyMs=M)`);
console.log(`  live:     ${origin.url}/live/<vod manifest path>, per viewer: ${origin.url}/c/<id>/...`);

const stop = (): void => {
  void origin.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
