/**
 * Opt-in hls.js tuning for P2P. Each knob applies only when the user asked for it (option > 0) AND the user's
 * own hls.js config (`hls.userConfig`) sets none of the keys involved: we never override a user's choice.
 */
import type Hls from 'hls.js';
import type { HlsJsP2POptions } from './options.js';

const LIVE_KEYS = [
  'liveSyncDuration',
  'liveSyncDurationCount',
  'liveMaxLatencyDuration',
  'liveMaxLatencyDurationCount',
];
const BUFFER_KEYS = ['maxBufferLength', 'maxMaxBufferLength'];

export function applyTuning(hls: Hls, options: HlsJsP2POptions): void {
  // userConfig is what the caller passed to `new Hls()`, before defaults were merged in.
  const user = hls.userConfig as Record<string, unknown>;
  const untouched = (keys: string[]): boolean => keys.every((k) => user[k] === undefined);
  const config = hls.config as unknown as Record<string, unknown>;
  if (options.liveSyncDurationSec > 0 && untouched(LIVE_KEYS)) {
    // Further from the live edge = more time for the swarm to spread each new segment before it is urgent.
    config.liveSyncDuration = options.liveSyncDurationSec;
  }
  if (options.maxBufferLengthSec > 0 && untouched(BUFFER_KEYS)) {
    config.maxBufferLength = Math.min(Number(config.maxBufferLength), options.maxBufferLengthSec);
    config.maxMaxBufferLength = Math.min(Number(config.maxMaxBufferLength), options.maxBufferLengthSec);
  }
}
