/** Shared set-up for core browser tests: engines on the real origin and tracker, fixture segments. */
import { Engine } from '../../../core/engine.js';
import { vodSegmentId } from '../../../core/ids.js';
import type { EngineSettings } from '../../../core/settings.js';
import type { SegmentDescriptor } from '../../../core/types.js';
import { testEnv } from '../env.js';

export const PLAYLIST = '/hls-ts/360p/index.m3u8';

/** The 360p rendition of the HLS TS fixture as segment descriptors (ids from start times). */
export async function fixtureSegments(): Promise<SegmentDescriptor[]> {
  const text = await (await fetch(`${testEnv.originUrl}${PLAYLIST}`)).text();
  const out: SegmentDescriptor[] = [];
  let start = 0;
  let duration = 0;
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      out.push({
        id: vodSegmentId(start),
        url: `${testEnv.originUrl}/hls-ts/360p/${line}`,
        startSec: start,
        durationSec: duration,
      });
      start += duration;
    }
  }
  return out;
}

export function pathOf(seg: SegmentDescriptor): string {
  return new URL(seg.url).pathname;
}

export interface Viewer {
  name: string;
  engine: Engine;
  streamId: string;
  swarmKey: string;
}

/**
 * One engine = one viewer, attributed to client `name` at the origin (path prefix /c/<name>/). Random HTTP
 * seeding is off unless asked for, so byte counts are deterministic.
 */
export function viewer(
  name: string,
  swarmId: string,
  segments: SegmentDescriptor[],
  settings: Partial<EngineSettings> = {},
): Viewer {
  const engine = new Engine({
    trackerUrls: [testEnv.trackerUrl],
    rtcConfig: { iceServers: [] },
    httpSeedEnabled: false,
    p2pJoinWhenPlayable: false,
    httpRetryDelayMs: 100,
    httpRequestSetup: (r) => ({ ...r, url: r.url.replace(testEnv.originUrl, `${testEnv.originUrl}/c/${name}`) }),
    ...settings,
  });
  engine.setContent({ manifestUrl: `${testEnv.originUrl}/hls-ts/master.m3u8`, swarmId });
  const streamId = engine.addStream({
    type: 'main',
    rendition: { bandwidth: 139120, width: 640, height: 360, codecs: 'avc1.4d401e,mp4a.40.2' },
  });
  engine.updateSegments(streamId, segments, { live: false });
  engine.setActiveStream(streamId);
  engine.updatePlayback({ positionSec: 0, rate: 1, bufferedEndSec: 0 });
  return { name, engine, streamId, swarmKey: engine.getSwarmKey(streamId) ?? '' };
}

export function peersOf(v: Viewer): number {
  return v.engine.getStats().peersBySwarm[v.swarmKey] ?? 0;
}

export function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      } else if (performance.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, 50);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function originBytes(seg: SegmentDescriptor): Promise<Uint8Array> {
  return new Uint8Array(
    await (await fetch(seg.url.replace(testEnv.originUrl, `${testEnv.originUrl}/c/reference`))).arrayBuffer(),
  );
}

export function uniqueSwarm(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2)}`;
}

/** The origin's hash list for the fixture's manifest (`integrity: 'auto'` finds it next to the manifest). */
export const HASH_LIST_PATH = '/hls-ts/segments-sha256.json';
