/**
 * A wall clock for the origin's live simulator that the test can set back. Each page of a live case (the player
 * alone, then the player with swarmcast) starts its player at the same instant of this clock and is closed at the
 * same later instant, so both see the same live window move the same way and their origin bytes can be compared
 * file by file, although they play one after the other. The live simulator is a pure function of the clock, so
 * setting it back replays the same window.
 */
export class ReplayClock {
  private offsetMs = 0;

  constructor(private readonly segmentMs: number) {}

  readonly now = (): number => Date.now() - this.offsetMs;

  /** Runs on from `atMs` (earlier or later than now). */
  runFrom(atMs: number): void {
    this.offsetMs = Date.now() - atMs;
  }

  /**
   * An instant `intoSegmentMs` into a segment that starts after now, on the live timeline starting at
   * `epochMs`: a player started there sees the same window whatever its latency below the remaining time.
   */
  nextStart(epochMs: number, intoSegmentMs: number): number {
    const segments = Math.ceil((this.now() - epochMs) / this.segmentMs) + 1;
    return epochMs + segments * this.segmentMs + intoSegmentMs;
  }

  /** Resolves when this clock reads `atMs` or later. */
  async until(atMs: number): Promise<void> {
    while (this.now() < atMs) await new Promise((r) => setTimeout(r, Math.min(100, atMs - this.now())));
  }
}
