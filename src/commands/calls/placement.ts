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
   * Throws a DomainError (or a port's unavailable error) to refuse the call. May return an undo,
   * run if a later step refuses or the call cannot be written, so no hold outlives a refused call.
   */
  beforePlace(call: PlannedCall): Promise<(() => Promise<void>) | void>;
}

/** Runs steps in order; when one refuses, undoes the earlier ones (latest first) and rethrows. */
export async function runPlacementSteps(
  steps: readonly PlacementStep[],
  call: PlannedCall,
  place: () => Promise<void>,
): Promise<void> {
  const undos: Array<() => Promise<void>> = [];
  try {
    for (const step of steps) {
      const undo = await step.beforePlace(call);
      if (undo) undos.push(undo);
    }
    await place();
  } catch (error) {
    for (const undo of undos.reverse()) await undo().catch(() => undefined);
    throw error;
  }
}
