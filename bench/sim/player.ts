import type { PlaybackState } from '../../core/types.js';
import type { SimEngine } from './engine.js';
import type { ViewerStats } from './stats.js';
import type { SimSegment } from './stream.js';
import type { World } from './world.js';

type PlayerState = 'joining' | 'starting' | 'playing' | 'stalled' | 'ended';

/**
 * An hls.js-like player: reloads the live playlist once per segment duration (each viewer at its own phase),
 * starts `liveSyncSegments` behind the live edge (VOD: at 0), loads one segment at a time while less than
 * `bufferGoalSec` is buffered, plays at rate 1 while it has media and stalls when it reaches unbuffered media
 * until the segment arrives. Live: a player left behind the playlist window jumps back to the live sync point.
 */
export class SimPlayer {
  state: PlayerState = 'joining';
  private firstIndex = 0;
  private lastIndex = -1;
  private nextIndex = 0;
  private pending = false;
  /** Position at `anchorMs` (the playhead moves from there at rate 1 while playing). */
  private posSec = 0;
  private anchorMs = 0;
  private bufferedEndSec = 0;
  private stallSinceMs = 0;
  private playStartMs: number | undefined;
  private dryGen = 0;
  private recheckGen = 0;
  private windowCache: { key: string; segments: SimSegment[] } | undefined;

  constructor(
    private readonly world: World,
    private readonly stats: ViewerStats,
    private readonly engine: SimEngine,
    private readonly ended: () => void,
    private readonly playable: () => void,
  ) {}

  private get now(): number {
    return this.world.queue.nowMs;
  }

  join(): void {
    const { queue, stream, random } = this.world;
    // The first playlist comes from the CDN; live reloads follow every segment duration at this viewer's phase.
    queue.after(this.world.cdnTtfbMs(), () => {
      this.onPlaylist();
      if (!stream.live) return;
      const reload = (): void => {
        if (this.state === 'ended') return;
        this.onPlaylist();
        queue.after(stream.segmentMs, reload);
      };
      queue.after(random() * stream.segmentMs, reload);
    });
  }

  positionSec(): number {
    if (this.state !== 'playing') return this.posSec;
    return Math.min(this.bufferedEndSec, this.posSec + (this.now - this.anchorMs) / 1000);
  }

  /** What the integration reports to engine.updatePlayback (the video element's rate stays 1 while waiting). */
  playback(): PlaybackState | undefined {
    if (this.state === 'joining' || this.state === 'ended') return undefined;
    return { positionSec: this.positionSec(), rate: 1, bufferedEndSec: this.bufferedEndSec };
  }

  /** Live: the playlist window; VOD: from the playhead to the P2P window (plan() ignores anything farther). */
  planSegments(): SimSegment[] {
    const { stream, settings, options } = this.world;
    let first = this.firstIndex;
    let last = this.lastIndex;
    if (!stream.live) {
      first = Math.max(0, Math.floor(this.positionSec() / options.segmentSec));
      last = Math.min(this.lastIndex, first + Math.ceil(settings.p2pWindowSec / options.segmentSec) + 1);
    }
    const key = `${first}:${last}`;
    if (this.windowCache?.key !== key) {
      const segments: SimSegment[] = [];
      for (let i = first; i <= last; i++) segments.push(stream.segment(i));
      this.windowCache = { key, segments };
    }
    return this.windowCache.segments;
  }

  private onPlaylist(): void {
    if (this.state === 'ended') return;
    const { stream, options } = this.world;
    this.lastIndex = stream.lastIndex(this.now);
    this.firstIndex = stream.firstIndex(this.lastIndex);
    if (stream.live) this.engine.keepOnly(new Set(this.planSegments().map((s) => s.id)));
    if (this.state === 'joining') {
      this.state = 'starting';
      this.nextIndex = stream.live ? this.lastIndex - options.liveSyncSegments + 1 : 0;
      this.posSec = this.bufferedEndSec = stream.segment(this.nextIndex).startSec;
    }
    this.maybeRequest();
  }

  private maybeRequest(): void {
    if (this.pending || this.state === 'ended' || this.state === 'joining') return;
    const { stream, options } = this.world;
    if (stream.live && this.nextIndex < this.firstIndex) this.resyncToLiveEdge();
    if (this.nextIndex > this.lastIndex) return; // wait for the next playlist (or the end of a VOD)
    const aheadSec = this.bufferedEndSec - this.positionSec();
    if (aheadSec >= options.bufferGoalSec) {
      const gen = ++this.recheckGen;
      this.world.queue.after((aheadSec - options.bufferGoalSec) * 1000 + 1, () => {
        if (gen === this.recheckGen) this.maybeRequest();
      });
      return;
    }
    const seg = stream.segment(this.nextIndex);
    this.pending = true;
    this.engine.request(seg, () => this.onSegment(seg));
  }

  private resyncToLiveEdge(): void {
    this.stats.liveResyncs++;
    const { stream, options } = this.world;
    this.nextIndex = this.lastIndex - options.liveSyncSegments + 1;
    const at = stream.segment(this.nextIndex).startSec;
    if (this.state === 'playing') this.startStall();
    this.posSec = this.bufferedEndSec = at;
    this.dryGen++;
  }

  private onSegment(seg: SimSegment): void {
    if (this.state === 'ended') return;
    this.pending = false;
    const now = this.now;
    this.nextIndex = seg.index + 1;
    if (this.state === 'starting') {
      this.state = 'playing';
      this.playStartMs = now;
      this.stats.startupMs = now - this.stats.joinedMs;
      this.posSec = seg.startSec;
      this.playable();
    } else if (this.state === 'stalled') {
      this.state = 'playing';
      this.stats.stallMs += now - this.stallSinceMs;
    } else {
      this.posSec = this.positionSec();
    }
    this.anchorMs = now;
    this.bufferedEndSec = seg.startSec + seg.durationSec;
    const gen = ++this.dryGen;
    this.world.queue.after((this.bufferedEndSec - this.posSec) * 1000, () => gen === this.dryGen && this.onDry());
    this.maybeRequest();
  }

  /** The playhead reached the end of the buffer. */
  private onDry(): void {
    this.posSec = this.bufferedEndSec;
    this.anchorMs = this.now;
    const last = this.world.stream.lastIndex(this.now);
    if (!this.world.stream.live && this.nextIndex > last) {
      this.finish();
      this.ended();
      return;
    }
    this.startStall();
  }

  private startStall(): void {
    this.posSec = this.positionSec();
    this.state = 'stalled';
    this.stats.stalls++;
    this.stallSinceMs = this.now;
  }

  /** Closes the watch-time and stall books (leaving, end of VOD, end of the run). */
  finish(): void {
    if (this.state === 'ended') return;
    if (this.state === 'stalled') this.stats.stallMs += this.now - this.stallSinceMs;
    if (this.playStartMs !== undefined) this.stats.watchMs = this.now - this.playStartMs;
    this.state = 'ended';
    this.dryGen++;
    this.recheckGen++;
  }
}
