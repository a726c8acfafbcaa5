/**
 * Simulated time. Every scripted delay is multiplied by `timeScale` before it is scheduled, and
 * timestamps come from a clock that runs `1 / timeScale` times faster than the wall clock, so a
 * sped-up call still reports the durations its script describes.
 */
export class SimClock {
  private readonly startedAtMs: number;

  constructor(
    readonly timeScale: number,
    private readonly wallNow: () => number = Date.now,
  ) {
    if (!(timeScale > 0)) throw new RangeError(`timeScale must be positive, got ${timeScale}`);
    this.startedAtMs = wallNow();
  }

  /** The simulated instant, in epoch milliseconds. */
  nowMs(): number {
    return this.startedAtMs + Math.round((this.wallNow() - this.startedAtMs) / this.timeScale);
  }

  /** How long a simulated delay really takes. */
  realDelay(simulatedMs: number): number {
    return Math.max(0, simulatedMs * this.timeScale);
  }

  /** The simulated instant in Asterisk's own format. */
  timestamp(): string {
    return asteriskTimestamp(this.nowMs());
  }
}

/** Asterisk writes `2026-11-23T11:16:33.123+0000`: milliseconds and an offset without a colon. */
export function asteriskTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}
