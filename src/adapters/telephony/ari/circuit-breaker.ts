import type { Clock } from '../../../domain/shared/clock.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * One per Asterisk node. After `failureThreshold` consecutive failures the node is skipped for
 * `coolDownMs`; then a single trial request decides whether it closes again or stays open.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: { readonly failureThreshold: number; readonly coolDownMs: number },
  ) {}

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.clock.now().getTime() - this.openedAt >= this.options.coolDownMs ? 'half_open' : 'open';
  }

  /** Whether a request may go to the node now. In half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Non-claiming check used for routing order and health output. */
  wouldAllow(): boolean {
    const state = this.state();
    return state === 'closed' || (state === 'half_open' && !this.trialInFlight);
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (this.openedAt !== null || this.consecutiveFailures >= this.options.failureThreshold) {
      this.openedAt = this.clock.now().getTime();
    }
  }
}
