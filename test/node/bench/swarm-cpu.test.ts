import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { childTreeCpuSec, ownCpuSec } from '../../../bench/swarm/cpu.js';

void test('childTreeCpuSec counts a child that burnt CPU; ownCpuSec grows with our own work', async () => {
  const before = childTreeCpuSec();
  assert.equal(typeof before, 'number', '/proc is there on Linux');
  // The child spins 400 ms, says so, then waits to be killed: it is alive (and counted) when we sample.
  const child = spawn(
    process.execPath,
    ['-e', 'const t = Date.now(); while (Date.now() - t < 400); console.log("done"); setInterval(() => {}, 1000);'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await once(child.stdout, 'data');
    const after = childTreeCpuSec() ?? 0;
    assert.ok(after - (before ?? 0) >= 0.25, `child CPU ${after - (before ?? 0)} s`);
  } finally {
    child.kill();
  }
  const own = ownCpuSec();
  const t = Date.now();
  while (Date.now() - t < 100);
  assert.ok(ownCpuSec() - own >= 0.05);
});
