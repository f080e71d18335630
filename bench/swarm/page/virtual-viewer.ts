/**
 * A virtual viewer: the real engine (real P2P, real HTTP loader, real scheduler) and the hls.js integration's
 * playlist description (`levelRendition`, `describePlaylist`: same swarm keys and segment ids as real hls.js
 * viewers), driven by a simulated playhead at rate 1 instead of a player. What it does not exercise: hls.js itself
 * (its ABR, fragment loader class, buffer controller), MSE, decoding. It always plays the top rendition (what
 * real players pick on the bench's unthrottled-enough origin) and loads the next segment whenever less than
 * `maxBufferSec` is buffered, one request at a time, as hls.js does.
 */
import type { Level, LevelDetails } from 'hls.js';
import type { SegmentDescriptor } from '../../../core/index.js';
import { describePlaylist, levelRendition } from '../../../integrations/hlsjs/segments.js';
import type { PassSpec, ViewerResult, ViewerSpec } from '../protocol.js';
import { createBenchEngine, engineSlice, firstSegment, sinceStart, startupLoads, type BenchEngine } from './common.js';
import { parseMediaPlaylist, parseMultivariant, type Variant } from './hls-parse.js';

const TICK_MS = 100;

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return res.text();
}

/** The `Level` fields `levelRendition` reads. */
function levelOf(v: Variant): Level {
  const [w, h] = (v.attrs.RESOLUTION ?? '').split('x').map(Number);
  return { attrs: v.attrs, bitrate: v.bandwidth, width: w ?? 0, height: h ?? 0 } as unknown as Level;
}

export class VirtualViewer {
  private readonly bench: BenchEngine;
  private readonly joinedMs = performance.now();
  private readonly errors: string[] = [];
  private streamId = '';
  private playlistUrl = '';
  private segments: SegmentDescriptor[] = [];
  private live = false;
  private targetDurationSec = 2;
  /** Media seconds loaded: [start, end) of every segment delivered. */
  private readonly buffered: { start: number; end: number }[] = [];
  private readonly initsLoaded = new Set<string>();
  private positionSec: number | undefined;
  private playing = false;
  private ended = false;
  private loading = false;
  private startupMs: number | undefined;
  private playedSec = 0;
  private stalls = 0;
  private stallMs = 0;
  private stallSinceMs: number | undefined;
  private stopped = false;
  private timers: ReturnType<typeof setInterval>[] = [];

  constructor(
    private readonly pass: PassSpec,
    private readonly spec: ViewerSpec,
    private readonly maxBufferSec: number,
  ) {
    this.bench = createBenchEngine(pass, spec);
    this.start().catch((e: unknown) => this.errors.push(`start: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async start(): Promise<void> {
    const master = await fetchText(this.spec.manifestUrl);
    const top = parseMultivariant(master, this.spec.manifestUrl)[0];
    if (!top) throw new Error('no variant in the multivariant playlist');
    this.playlistUrl = top.url;
    const engine = this.bench.engine;
    engine.setContent({ manifestUrl: this.spec.manifestUrl, swarmId: this.pass.swarmId });
    this.streamId = engine.addStream({ type: 'main', rendition: levelRendition(levelOf(top)) });
    engine.setActiveStream(this.streamId);
    await this.reloadPlaylist();
    const last = this.segments.at(-1);
    const edge = last ? last.startSec + last.durationSec : 0;
    this.positionSec = this.live ? Math.max(this.segments[0]?.startSec ?? 0, edge - this.pass.liveDelaySec) : 0;
    this.timers.push(setInterval(() => this.tick(), TICK_MS));
    if (this.live) {
      this.timers.push(
        setInterval(
          () => void this.reloadPlaylist().catch((e: unknown) => this.fail(e)),
          this.targetDurationSec * 1000,
        ),
      );
    }
  }

  private async reloadPlaylist(): Promise<void> {
    if (this.stopped) return;
    const list = parseMediaPlaylist(await fetchText(this.playlistUrl), this.playlistUrl);
    this.live = list.live;
    this.targetDurationSec = list.targetDurationSec || this.targetDurationSec;
    // Live start times: media sequence × duration, one timeline for the viewer's playhead and the engine.
    const fragments = list.segments.map((s) => ({ ...s, start: s.sn * s.duration }));
    const details = { live: list.live, fragments } as unknown as LevelDetails;
    this.segments = describePlaylist(details).segments;
    this.bench.engine.updateSegments(this.streamId, this.segments, { live: list.live });
  }

  private fail(e: unknown): void {
    if (this.errors.length < 20) this.errors.push(e instanceof Error ? e.message : String(e));
  }

  /** End of the contiguous loaded media from the playhead. */
  private bufferedEnd(): number {
    let end = this.positionSec ?? 0;
    for (const r of [...this.buffered].sort((a, b) => a.start - b.start)) {
      if (r.start <= end + 0.05 && r.end > end) end = r.end;
    }
    return end;
  }

  private tick(): void {
    if (this.stopped || this.positionSec === undefined) return;
    const now = performance.now();
    const bufferedEnd = this.bufferedEnd();
    const media = this.segments.filter((s) => !s.isInit);
    const last = media.at(-1);
    const endOfStream = !this.live && last !== undefined && bufferedEnd >= last.startSec + last.durationSec - 0.01;
    if (this.playing) {
      const next = Math.min(this.positionSec + TICK_MS / 1000, bufferedEnd);
      this.playedSec += next - this.positionSec;
      this.positionSec = next;
      if (next >= bufferedEnd - 0.001) {
        if (endOfStream) this.ended = true;
        else if (this.stallSinceMs === undefined) {
          this.stalls++;
          this.stallSinceMs = now;
        }
        this.playing = false;
      }
    } else if (!this.ended && bufferedEnd - this.positionSec >= Math.min(this.targetDurationSec, 1)) {
      // Like a media element: resume once some data is buffered past the playhead.
      this.startupMs ??= now - this.joinedMs;
      if (this.stallSinceMs !== undefined) this.stallMs += now - this.stallSinceMs;
      this.stallSinceMs = undefined;
      this.playing = true;
    }
    this.bench.engine.updatePlayback({
      positionSec: this.positionSec,
      rate: this.playing ? 1 : 0,
      bufferedEndSec: bufferedEnd,
    });
    if (!this.loading && bufferedEnd - this.positionSec < this.maxBufferSec) {
      const next = media.find(
        (s) => s.startSec <= bufferedEnd + 0.05 && s.startSec + s.durationSec > bufferedEnd + 0.05,
      );
      if (next) void this.load(next);
    }
  }

  /** The player's part: init segment first (once), then the media segment, through the engine. */
  private async load(segment: SegmentDescriptor): Promise<void> {
    this.loading = true;
    try {
      const init = this.segments.find((s) => s.isInit && s.startSec === segment.startSec);
      if (init && !this.initsLoaded.has(init.id)) {
        await this.bench.engine.loadSegment(this.streamId, init.id);
        this.initsLoaded.add(init.id);
      }
      await this.bench.engine.loadSegment(this.streamId, segment.id);
      this.buffered.push({ start: segment.startSec, end: segment.startSec + segment.durationSec });
    } catch (e) {
      this.fail(e);
    } finally {
      this.loading = false;
    }
  }

  stop(): void {
    if (this.stallSinceMs !== undefined) this.stallMs += performance.now() - this.stallSinceMs;
    this.stallSinceMs = undefined;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.bench.engine.updatePlayback({
      positionSec: this.positionSec ?? 0,
      rate: 0,
      bufferedEndSec: this.bufferedEnd(),
    });
  }

  result(): ViewerResult {
    return {
      id: this.spec.id,
      kind: 'virtual',
      startupMs: this.startupMs,
      firstSegment: firstSegment(this.bench, this.joinedMs),
      firstPeerMs: sinceStart(this.bench.firstPeerAtMs, this.joinedMs),
      ...startupLoads(this.bench, this.joinedMs, this.startupMs),
      // Many virtual viewers share a page: its frames are no one viewer's.
      mainThreadBeforeStartup: undefined,
      playedSec: this.playedSec,
      stalls: this.stalls,
      stallSec: this.stallMs / 1000,
      // A simulated playhead stalls only for want of data: its stalls have no more to say.
      stallEpisodes: [],
      engine: engineSlice(this.bench.engine.getStats()),
      loads: [...this.bench.loads],
      downloads: [...this.bench.downloads],
      timeOriginMs: performance.timeOrigin,
      errors: [...this.errors],
    };
  }
}
