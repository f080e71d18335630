/** Bench page hosting many virtual viewers (see virtual-viewer.ts); the Node side calls `join()` on schedule. */
import type { BenchPageApi, VirtualPageParams } from '../protocol.js';
import { readPageParams } from './common.js';
import { VirtualViewer } from './virtual-viewer.js';

const params = readPageParams() as VirtualPageParams;
const viewers: VirtualViewer[] = [];
const api: BenchPageApi = {
  join(spec) {
    viewers.push(new VirtualViewer(params.pass, spec, params.maxBufferSec));
  },
  stop() {
    for (const v of viewers) v.stop();
  },
  results: () => viewers.map((v) => v.result()),
};
(window as unknown as { __bench: BenchPageApi }).__bench = api;
