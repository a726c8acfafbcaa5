export type CallRateLimit = {
  /** Call attempts allowed per trunk within the window. */
  readonly maxCalls: number;
  /** Sliding window, in real (unscaled) milliseconds. */
  readonly windowMs: number;
};

/** A carrier's cap on call attempts per trunk, counted over a sliding window. */
export class TrunkRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private limit: CallRateLimit | null,
    private readonly now: () => number = Date.now,
  ) {}

  set(limit: CallRateLimit | null): void {
    this.limit = limit;
    this.attempts.clear();
  }

  /** Forget past attempts, keeping the limit. */
  reset(): void {
    this.attempts.clear();
  }

  /** Counts the attempt and says whether it is within the cap. Refused attempts count too. */
  admit(trunk: string): boolean {
    const limit = this.limit;
    if (limit === null) return true;
    const now = this.now();
    const recent = (this.attempts.get(trunk) ?? []).filter((at) => now - at < limit.windowMs);
    recent.push(now);
    this.attempts.set(trunk, recent);
    return recent.length <= limit.maxCalls;
  }
}
