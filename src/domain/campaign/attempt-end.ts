import type { CallEvent } from '../call/events.ts';
import type { AttemptOutcome } from './events.ts';

/** The outcome only: the campaign records the end at its own clock's time (see the dialer). */
export type AttemptEnd = { readonly outcome: AttemptOutcome; readonly billableSeconds: number };

/**
 * How a call's terminal event ends the campaign attempt that placed it, or null for any other
 * event. A lost call was answered: the contact was reached, so it counts as completed, for the
 * time the lost-call rule billed.
 */
export function attemptEndOf(event: CallEvent): AttemptEnd | null {
  switch (event.type) {
    case 'CallCompleted':
      return { outcome: 'COMPLETED', billableSeconds: Math.floor(event.data.billableMs / 1000) };
    case 'CallLost':
      return { outcome: 'COMPLETED', billableSeconds: Math.floor(event.data.billableMs / 1000) };
    case 'CallFailed':
      return { outcome: event.data.outcome, billableSeconds: 0 };
    default:
      return null;
  }
}
