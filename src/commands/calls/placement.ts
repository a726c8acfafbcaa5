import type { GlobalPosition } from '../../domain/shared/messages.ts';

/**
 * Checks and holds that run before a call is written, contributed by features that must be able
 * to refuse a call synchronously (telephony availability, audio existence, prepaid balance…).
 */
export type PlannedCall = {
  readonly callId: string;
  readonly tenantId: string;
  /** Canonical E.164. */
  readonly to: string;
  readonly audioId: string | null;
  readonly maxDurationSeconds: number;
  readonly mode: 'live' | 'test';
  readonly actor: string;
  readonly correlationId: string;
  readonly now: Date;
  /**
   * A campaign attempt's claim position: checks that read a read model (the do-not-call list) must
   * first see every change committed before it, so a listing that won the race stops the call.
   */
  readonly claimedAt?: GlobalPosition;
};

export interface PlacementStep {
  /**
   * True for a step that only reads (it holds nothing and returns no undo): it runs alongside the
   * check-only steps next to it, so a call waits for the slowest of them rather than their sum.
   */
  readonly checkOnly?: boolean;
  /**
   * Throws a DomainError (or a port's unavailable error) to refuse the call. May return an undo,
   * run if a later step refuses or the call cannot be written, so no hold outlives a refused call.
   */
  beforePlace(call: PlannedCall): Promise<(() => Promise<void>) | void>;
}

/**
 * Runs steps in order (neighbouring check-only steps together); when one refuses, undoes the
 * earlier ones (latest first) and rethrows. Of check-only steps run together, the refusal of the
 * first in order is the one rethrown, as if they had run one after another.
 */
export async function runPlacementSteps(
  steps: readonly PlacementStep[],
  call: PlannedCall,
  place: () => Promise<void>,
): Promise<void> {
  const undos: Array<() => Promise<void>> = [];
  try {
    for (let i = 0; i < steps.length; ) {
      let end = i + 1;
      if (steps[i]!.checkOnly) while (end < steps.length && steps[end]!.checkOnly) end++;
      const outcomes = await Promise.allSettled(steps.slice(i, end).map((step) => step.beforePlace(call)));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') throw outcome.reason;
        if (outcome.value) undos.push(outcome.value);
      }
      i = end;
    }
    await place();
  } catch (error) {
    for (const undo of undos.reverse()) await undo().catch(() => undefined);
    throw error;
  }
}
