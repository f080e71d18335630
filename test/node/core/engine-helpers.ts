/** Shared set-up for engine tests: a local origin, a fake P2P network, segments that slice BODY. */
import { after, afterEach, before } from 'node:test';
import { Engine, type EnginePlatform } from '../../../core/engine.js';
import type { EngineSettings } from '../../../core/settings.js';
import type { SegmentDescriptor } from '../../../core/types.js';
import { FakeNetwork, type FakeSwarm } from './fake-swarm.js';
import { BODY, startOrigin, type TestOrigin } from './http-server.js';

export const SEG = 10_000;

export function segmentsFor(originUrl: string, count = 10): SegmentDescriptor[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t${i * 40}`,
    url: `${originUrl}/file`,
    byteRange: { start: i * SEG, end: (i + 1) * SEG },
    startSec: i * 4,
    durationSec: 4,
  }));
}

export function bytesOf(i: number): Uint8Array {
  return BODY.slice(i * SEG, (i + 1) * SEG);
}

export interface Rig {
  engine: Engine;
  net: FakeNetwork;
  streamId: string;
  swarm(): FakeSwarm;
}

class Stub {
  readonly stub = true;
}

export function makeEngine(
  originUrl: string,
  settings: Partial<EngineSettings> = {},
  p2p = true,
  platformOverrides: Partial<EnginePlatform> = {},
): Rig {
  const net = new FakeNetwork();
  const platform: Partial<EnginePlatform> = {
    RTCPeerConnection: Stub as unknown as typeof RTCPeerConnection,
    WebSocket: Stub as unknown as typeof WebSocket,
    createNetwork: p2p ? () => net : undefined,
    ...platformOverrides,
  };
  const engine = new Engine(
    {
      schedulerIntervalMs: 20,
      httpRetryDelayMs: 10,
      // Swarm mechanics are tested from the start; the join-when-playable gate has its own tests.
      p2pJoinWhenPlayable: false,
      // The scheduling tests count origin requests; integrity checks (their own extra requests) have their own tests.
      integrity: 'off',
      ...settings,
    },
    platform,
  );
  engine.setContent({ manifestUrl: `${originUrl}/master.m3u8?token=1` });
  const streamId = engine.addStream({ type: 'main', rendition: { bandwidth: 20_000, width: 640, height: 360 } });
  engine.updateSegments(streamId, segmentsFor(originUrl), { live: false });
  engine.setActiveStream(streamId);
  engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 0 });
  const swarm = (): FakeSwarm => {
    const s = [...net.swarms.values()][0];
    if (!s) throw new Error('no swarm yet');
    return s;
  };
  return { engine, net, streamId, swarm };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

export interface EngineTestEnv {
  /** The local origin, started before the file's first test. */
  readonly origin: TestOrigin;
  /** makeEngine on that origin; the engine is destroyed after the current test. */
  rig: (settings?: Partial<EngineSettings>, p2p?: boolean, platform?: Partial<EnginePlatform>) => Rig;
}

/** Registers a test file's hooks: one origin for all its tests, every engine made through `rig` destroyed after each. */
export function engineTestEnv(): EngineTestEnv {
  let origin: TestOrigin | undefined;
  const engines: Engine[] = [];
  before(async () => {
    origin = await startOrigin();
  });
  after(() => origin?.close());
  afterEach(() => {
    for (const e of engines.splice(0)) e.destroy();
  });
  const env: EngineTestEnv = {
    get origin(): TestOrigin {
      if (!origin) throw new Error('the origin starts before the first test');
      return origin;
    },
    rig: (settings, p2p, platform) => {
      const r = makeEngine(env.origin.url, settings, p2p, platform);
      engines.push(r.engine);
      return r;
    },
  };
  return env;
}
