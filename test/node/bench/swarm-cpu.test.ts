import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { childTreeCpuSec, ownCpuSec } from '../../../bench/swarm/cpu.js';

void test('childTreeCpuSec counts a child that burnt CPU; ownCpuSec grows with our own work', async () => {
  const before = childTreeCpuSec();
  assert.equal(typeof before, 'number', '/proc is there on Linux');
  // The child burns 400 ms of CPU (not of wall time: the machine may be busy), says so, then waits to be killed:
  // it is alive (and counted) when we sample.
  const burn = 'const c = process.cpuUsage(); while (process.cpuUsage(c).user + process.cpuUsage(c).system < 400e3);';
  const child = spawn(process.execPath, ['-e', `${burn} console.log("done"); setInterval(() => {}, 1000);`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await once(child.stdout, 'data');
    const after = childTreeCpuSec() ?? 0;
    assert.ok(after - (before ?? 0) >= 0.25, `child CPU ${after - (before ?? 0)} s`);
  } finally {
    child.kill();
  }
  const own = ownCpuSec();
  const c = process.cpuUsage();
  while (process.cpuUsage(c).user + process.cpuUsage(c).system < 100e3);
  assert.ok(ownCpuSec() - own >= 0.05);
});
