/**
 * The simulator runs the engine, not a copy of it: one simulated viewer's engine inputs are recorded, replayed into
 * a fresh Engine built as an integration builds it, and the replayed engine makes every call the simulated one
 * made and carries out the same scheduler actions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SIM_OPTIONS, type SimOptions } from '../../../bench/sim/options.js';
import { runSim } from '../../../bench/sim/sim.js';
import { DEFAULT_SETTINGS, mergeSettings } from '../../../core/settings.js';
import { EngineTape, replayTape } from '../../support/sim-tape.js';
import { TapeMismatch } from '../../support/sim-tape-replay.js';

const options: SimOptions = {
  ...DEFAULT_SIM_OPTIONS,
  viewers: 12,
  durationSec: 40,
  rampSec: 8,
  seed: 3,
  baseline: false,
};

async function record(viewerId: number, stream: 'live' | 'vod'): Promise<EngineTape> {
  const tape = new EngineTape();
  await runSim({ ...options, stream }, DEFAULT_SETTINGS, { viewerId, tap: tape });
  return tape;
}

const kinds = (tape: EngineTape): Set<string> =>
  new Set(tape.actions.map((e) => `${e.action.type} ${'reason' in e.action ? e.action.reason : ''}`.trim()));

void describe('bench:sim runs the engine itself', () => {
  for (const stream of ['live', 'vod'] as const) {
    void it(`${stream}: a replayed engine makes the simulated engine's every call and action`, async () => {
      const tape = await record(4, stream);
      const seen = kinds(tape);
      assert.ok(tape.entries.length > 5000, `a long tape (${tape.entries.length} entries)`);
      assert.ok(seen.has('http request') && seen.has('p2p request'), `HTTP and P2P actions: ${[...seen].join(', ')}`);
      const replayed = await replayTape(tape, DEFAULT_SETTINGS);
      assert.deepEqual(replayed, tape.actions);
    });
  }

  void it('the check can fail: the same inputs into an engine with another setting diverge', async () => {
    const tape = await record(4, 'live');
    await assert.rejects(replayTape(tape, mergeSettings({ p2pWaitMaxMs: 0 })), TapeMismatch);
  });
});
