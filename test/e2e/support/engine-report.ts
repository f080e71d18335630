/** The engine's counters as a viewer entry reports them to the test (one shape for every player's entry). */
import type { EngineStats } from '../../../core/index.js';
import type { EngineReport } from './types.js';

export function engineReport(s: EngineStats | undefined): EngineReport | undefined {
  return (
    s && {
      httpBytes: s.httpBytes,
      p2pBytes: s.p2pBytes,
      cacheBytes: s.cacheBytes,
      uploadedBytes: s.uploadedBytes,
      integrity: s.integrity,
      peers: Object.values(s.peersBySwarm).reduce((a, b) => a + b, 0),
    }
  );
}
