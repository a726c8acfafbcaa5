import type { CallEvent } from '../call/events.ts';
import type { AttemptOutcome } from './events.ts';

export type AttemptEnd = { readonly outcome: AttemptOutcome; readonly billableSeconds: number; readonly endedAt: string };

/**
 * How a call's terminal event ends the campaign attempt that placed it, or null for any other
 * event. A lost call was answered: the contact was reached, so it counts as completed, for the
 * time the lost-call rule billed.
 */
export function attemptEndOf(event: CallEvent): AttemptEnd | null {
  switch (event.type) {
    case 'CallCompleted':
      return { outcome: 'COMPLETED', billableSeconds: Math.floor(event.data.billableMs / 1000), endedAt: event.data.endedAt };
    case 'CallLost':
      return { outcome: 'COMPLETED', billableSeconds: Math.floor(event.data.billableMs / 1000), endedAt: event.data.detectedAt };
    case 'CallFailed':
      return { outcome: event.data.outcome, billableSeconds: 0, endedAt: event.data.endedAt };
    default:
      return null;
  }
}
