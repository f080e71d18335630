/** Shared set-up of the dash.js integration tests: real players in the Karma page, an engine that records. */
import { MediaPlayer } from 'dashjs';
import shakaModule from 'shaka-player';
import { Engine, type SegmentDescriptor, type SegmentListOptions } from '../../../../core/index.js';
import { attach, type DashjsP2POptions, type DashjsPlayer } from '../../../../integrations/dashjs/index.js';
import { attach as attachShaka, type ShakaNamespace } from '../../../../integrations/shaka/index.js';
import { testEnv } from '../../env.js';

export const shaka = ((shakaModule as { default?: ShakaNamespace }).default ?? shakaModule) as ShakaNamespace;
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A manifest URL on the suite's origin under a fresh client prefix (the byte meter tells viewers apart). */
export function manifest(path: string, client = 'dashjs'): string {
  return `${testEnv.originUrl}/c/${client}-${Math.random().toString(36).slice(2, 8)}/${path}`;
}

/** A real engine without peers that records what the integration describes, by swarm key. */
export class RecordingEngine extends Engine {
  readonly segments = new Map<string, Map<string, SegmentDescriptor>>();
  readonly lists: { key: string; live: boolean; media: number }[] = [];
  constructor() {
    super({ p2pEnabled: false });
  }
  override updateSegments(streamId: string, list: readonly SegmentDescriptor[], o: SegmentListOptions): void {
    const key = this.getSwarmKey(streamId) ?? '?';
    const known = this.segments.get(key) ?? new Map<string, SegmentDescriptor>();
    for (const s of list) known.set(s.id, s);
    this.segments.set(key, known);
    this.lists.push({ key, live: o.live, media: list.filter((s) => !s.isInit).length });
    super.updateSegments(streamId, list, o);
  }

  /** Media (or init) segments recorded for the swarm whose key contains `part`. */
  ids(part: string, init = false): string[] {
    const entry = [...this.segments.entries()].find(([k]) => k.includes(part));
    return [...(entry?.[1].values() ?? [])].filter((s) => Boolean(s.isInit) === init).map((s) => s.id);
  }
}

/** Tracks what a test created, torn down in reverse order after each test. */
export class Cleanup {
  private readonly fns: (() => unknown)[] = [];
  add(fn: () => unknown): void {
    this.fns.push(fn);
  }
  async run(): Promise<void> {
    for (const fn of this.fns.splice(0).reverse()) await fn();
  }
}

export function newVideo(cleanup: Cleanup): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  document.body.appendChild(video);
  cleanup.add(() => video.remove());
  return video;
}

/** dash.js with the integration attached (the one line), playing `url` on a new video element. */
export function playDashjs(
  cleanup: Cleanup,
  url: string,
  options: Partial<DashjsP2POptions>,
  settings: Record<string, unknown> = {},
): { player: DashjsPlayer; video: HTMLVideoElement; p2p: ReturnType<typeof attach> } {
  const video = newVideo(cleanup);
  const player = MediaPlayer().create();
  const all: Record<string, unknown> = { debug: { logLevel: 1 }, ...settings };
  player.updateSettings(all);
  const p2p = attach(player, options);
  cleanup.add(() => player.destroy());
  cleanup.add(() => p2p.destroy());
  player.initialize(video, url, true);
  return { player, video, p2p };
}

/** Shaka with the Shaka integration attached, playing `url`. */
export async function playShaka(
  cleanup: Cleanup,
  url: string,
  engine: Engine,
  mimeType?: string,
  config: Record<string, unknown> = {},
): Promise<void> {
  const video = newVideo(cleanup);
  const player = new shaka.Player();
  cleanup.add(() => player.destroy());
  player.configure(config);
  const p2p = attachShaka(player, { shaka, engine, swarmId: 'test' });
  cleanup.add(() => p2p.destroy());
  await player.attach(video);
  await player.load(url, null, mimeType);
  await video.play();
}
