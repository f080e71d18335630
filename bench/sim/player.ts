import type { Engine } from '../../core/engine.js';
import type { PlaybackState, SegmentDescriptor, SegmentSource } from '../../core/types.js';
import type { ViewerStats } from './stats.js';
import type { SimSegment } from './stream.js';
import type { World } from './world.js';

type PlayerState = 'joining' | 'starting' | 'playing' | 'stalled' | 'ended';

/** How often the player reports playback to the engine while playing (a media element's timeupdate: ~4 Hz). */
export const TIMEUPDATE_MS = 250;

/** After a failed request (content changed, segment no longer listed), the player asks again this much later. */
const RETRY_MS = 100;

/** What the player tells its viewer: a segment reached it (the books count it), playback ended. */
export interface PlayerHost {
  delivered(segment: SimSegment, source: SegmentSource, loadMs: number): void;
  ended(): void;
}

/**
 * An hls.js-like player driving the engine through its public API, as an integration does: it describes the
 * playlist on every (re)load, reports playback on every change and every TIMEUPDATE_MS, and asks for one segment at
 * a time while less than `bufferGoalSec` is buffered. Live: reloads the playlist once per segment duration (each
 * viewer at its own phase), starts `liveSyncSegments` behind the edge, and jumps back to the live sync point when
 * left behind the playlist window. Plays at rate 1 while it has media and stalls at unbuffered media.
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
  private vodDescribed = false;

  constructor(
    private readonly world: World,
    private readonly stats: ViewerStats,
    private readonly engine: Engine,
    private readonly streamId: string,
    private readonly host: PlayerHost,
  ) {}

  private get now(): number {
    return this.world.queue.nowMs;
  }

  join(): void {
    const { queue, stream, random } = this.world;
    // The first playlist comes from the CDN; live reloads follow every segment duration at this viewer's phase.
    queue.after(this.world.cdnTtfbMs(), () => {
      this.onPlaylist();
      this.timeupdate();
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
  private report(): void {
    if (this.state === 'joining' || this.state === 'ended') return;
    const playback: PlaybackState = { positionSec: this.positionSec(), rate: 1, bufferedEndSec: this.bufferedEndSec };
    this.engine.updatePlayback(playback);
  }

  private timeupdate(): void {
    if (this.state === 'ended') return;
    this.report();
    this.world.queue.after(TIMEUPDATE_MS, () => this.timeupdate());
  }

  private onPlaylist(): void {
    if (this.state === 'ended') return;
    const { stream, options } = this.world;
    this.lastIndex = stream.lastIndex(this.now);
    this.firstIndex = stream.firstIndex(this.lastIndex);
    if (stream.live || !this.vodDescribed) {
      const segments: SegmentDescriptor[] = [];
      for (let i = this.firstIndex; i <= this.lastIndex; i++) segments.push(describe(stream.segment(i)));
      this.engine.updateSegments(this.streamId, segments, { live: stream.live });
      this.vodDescribed = true;
    }
    if (this.state === 'joining') {
      this.state = 'starting';
      this.engine.setActiveStream(this.streamId);
      this.nextIndex = stream.live ? this.lastIndex - options.liveSyncSegments + 1 : 0;
      this.posSec = this.bufferedEndSec = stream.segment(this.nextIndex).startSec;
      this.report();
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
    const askedMs = this.now;
    this.pending = true;
    this.engine.loadSegment(this.streamId, seg.id).then(
      (r) => this.onSegment(seg, r.source, askedMs),
      () => {
        this.pending = false;
        this.world.queue.after(RETRY_MS, () => this.maybeRequest());
      },
    );
  }

  private resyncToLiveEdge(): void {
    this.stats.liveResyncs++;
    const { stream, options } = this.world;
    this.nextIndex = this.lastIndex - options.liveSyncSegments + 1;
    const at = stream.segment(this.nextIndex).startSec;
    if (this.state === 'playing') this.startStall();
    this.posSec = this.bufferedEndSec = at;
    this.dryGen++;
    this.report();
  }

  private onSegment(seg: SimSegment, source: SegmentSource, askedMs: number): void {
    if (this.state === 'ended') return;
    this.pending = false;
    const now = this.now;
    this.host.delivered(seg, source, now - askedMs);
    this.nextIndex = seg.index + 1;
    if (this.state === 'starting') {
      this.state = 'playing';
      this.playStartMs = now;
      this.stats.startupMs = now - this.stats.joinedMs;
      this.posSec = seg.startSec;
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
    this.report();
    this.maybeRequest();
  }

  /** The playhead reached the end of the buffer. */
  private onDry(): void {
    this.posSec = this.bufferedEndSec;
    this.anchorMs = this.now;
    const last = this.world.stream.lastIndex(this.now);
    if (!this.world.stream.live && this.nextIndex > last) {
      this.finish();
      this.host.ended();
      return;
    }
    this.startStall();
    this.report();
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

/** A simulated segment as a playlist describes it; its URL is its id (the simulated CDN knows its size). */
function describe(seg: SimSegment): SegmentDescriptor {
  return { id: seg.id, url: seg.id, startSec: seg.startSec, durationSec: seg.durationSec };
}
