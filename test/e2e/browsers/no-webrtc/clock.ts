/**
 * A wall clock for the origin's live simulator that the test can stop and restart. Stopped, the live window stands
 * still: two players started on it see the same playlist, and once paused they fetch up to its newest segment
 * and no further, so their origin bytes can be compared exactly. Restarted, it goes on from where it stood.
 */
export class PausableClock {
  private offsetMs = 0;
  private frozenAtMs: number | undefined;

  readonly now = (): number => this.frozenAtMs ?? Date.now() - this.offsetMs;

  freeze(): void {
    this.frozenAtMs ??= this.now();
  }

  resume(): void {
    if (this.frozenAtMs === undefined) return;
    this.offsetMs = Date.now() - this.frozenAtMs;
    this.frozenAtMs = undefined;
  }
}
