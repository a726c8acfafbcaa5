import type { Clock } from '../../../domain/shared/clock.ts';
import type { Timers } from './timers.ts';

/**
 * Keeps originates on one trunk under the carrier's calls-per-second cap. Callers over the cap
 * wait in arrival order; nobody is dropped. Capacity equals the rate, so at most one second's
 * worth of calls can burst.
 */
export class TokenBucket {
  private tokens: number;
  private lastRefill: number;
  private readonly waiters: Array<() => void> = [];
  private wakeUpScheduled = false;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: Clock,
    private readonly timers: Timers,
  ) {
    this.tokens = Math.max(1, ratePerSecond);
    this.lastRefill = clock.now().getTime();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.drain();
    });
  }

  queued(): number {
    return this.waiters.length;
  }

  private drain(): void {
    this.refill();
    while (this.waiters.length > 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.waiters.shift()!();
    }
    if (this.waiters.length > 0 && !this.wakeUpScheduled) {
      this.wakeUpScheduled = true;
      const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
      this.timers.after(Math.max(1, waitMs), () => {
        this.wakeUpScheduled = false;
        this.drain();
      });
    }
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    const elapsedMs = Math.max(0, now - this.lastRefill);
    this.lastRefill = now;
    this.tokens = Math.min(Math.max(1, this.ratePerSecond), this.tokens + (elapsedMs / 1000) * this.ratePerSecond);
  }
}
