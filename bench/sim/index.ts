/**
 * `npm run bench:sim [-- options]` (see USAGE in options.ts): a discrete-event simulation of a whole audience in
 * virtual time. Every viewer runs the real engine (core/engine.ts: its load lifecycle, scheduler loop and plan(), on
 * a simulated clock, transport and storage) with the engine's settings; the network (access bandwidth, latency,
 * CDN, tracker, churn) and the player are simulated. Prints
 * offload, stall rate and load times, next to an HTTP-only pass with the same seed (`--baseline off` skips it),
 * or one row per value with `--sweep key=v1,v2,…`.
 */
import { mergeSettings } from '../../core/settings.js';
import { parseCli, USAGE, type Cli } from './options.js';
import { printRun, printSweep } from './report.js';
import { runSim } from './sim.js';
import { summarize, type SimSummary } from './summary.js';

// Simulated peers fail requests by the million (BUSY answers): their errors need no stack trace.
Error.stackTraceLimit = 0;

let cli: Cli;
try {
  cli = parseCli(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  console.error(message === USAGE ? USAGE : `${message}\n\n${USAGE}`);
  process.exit(message === USAGE ? 0 : 2);
}

const { options, settings } = cli;
const started = performance.now();
const baseline: SimSummary | undefined = options.baseline
  ? summarize(await runSim(options, { ...settings, p2pEnabled: false }))
  : undefined;

if (cli.sweep) {
  const { key, values } = cli.sweep;
  const rows = [];
  for (const value of values)
    rows.push({ value, summary: summarize(await runSim(options, mergeSettings({ ...cli.overrides, [key]: value }))) });
  if (cli.json) console.log(JSON.stringify({ options, overrides: cli.overrides, sweep: { key, rows }, baseline }));
  else printSweep(options, cli.overrides, key, rows, baseline);
} else {
  const p2p = summarize(await runSim(options, settings));
  if (cli.json) console.log(JSON.stringify({ options, overrides: cli.overrides, p2p, baseline }));
  else printRun(options, cli.overrides, p2p, baseline);
}
if (!cli.json) console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s wall in all)`);
