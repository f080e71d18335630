/** URLs of the real servers the runner (scripts/test.ts) started for this browser suite. */
export interface TestEnv {
  /** The origin serving test/fixtures, with /_meter and /_throttle. */
  originUrl: string;
  /** ws:// URL of a WebTorrent tracker on 127.0.0.1. */
  trackerUrl: string;
  /** POST /tracker/stop and /tracker/start. */
  controlUrl: string;
}

interface KarmaWindow {
  __karma__?: { config?: { swarmcast?: TestEnv } };
}

function readEnv(): TestEnv {
  const env = (window as unknown as KarmaWindow).__karma__?.config?.swarmcast;
  if (!env) throw new Error('test env missing: run the browser suite with `npm test -- browser`');
  return env;
}

export const testEnv: TestEnv = readEnv();

/** Origin byte meter snapshot (see test/support/origin). */
export interface MeterSnapshot {
  totalBytes: number;
  requests: number;
  byClient: Record<string, { bytes: number; requests: number } | undefined>;
  byPath: Record<string, { bytes: number; requests: number } | undefined>;
}

export async function readMeter(): Promise<MeterSnapshot> {
  const response = await fetch(`${testEnv.originUrl}/_meter`);
  return (await response.json()) as MeterSnapshot;
}

export async function resetMeter(): Promise<void> {
  await fetch(`${testEnv.originUrl}/_meter/reset`, { method: 'POST' });
}

export async function setThrottle(throttle: { bandwidthBytesPerSec?: number; latencyMs?: number }): Promise<void> {
  const query = new URLSearchParams();
  query.set('bandwidthBytesPerSec', String(throttle.bandwidthBytesPerSec ?? 0));
  query.set('latencyMs', String(throttle.latencyMs ?? 0));
  await fetch(`${testEnv.originUrl}/_throttle?${query.toString()}`, { method: 'POST' });
}

export async function setTrackerRunning(running: boolean): Promise<void> {
  await fetch(`${testEnv.controlUrl}/tracker/${running ? 'start' : 'stop'}`, { method: 'POST' });
}
