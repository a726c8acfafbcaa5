import type { FailureOutcome } from './events.ts';
import { isRetryableOutcome } from './outcomes.ts';

/**
 * ITU-T Q.850 release causes: the number a carrier (via Asterisk's hangup cause) gives for why a
 * call ended. Only the causes seen in practice on SIP/ISDN trunks are named; others print by number.
 */
export const Q850_TEXT: Readonly<Record<number, string>> = {
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  16: 'Normal call clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer from user (user alerted)',
  20: 'Subscriber absent',
  21: 'Call rejected',
  22: 'Number changed',
  27: 'Destination out of order',
  28: 'Invalid number format (address incomplete)',
  29: 'Facility rejected',
  31: 'Normal, unspecified',
  34: 'No circuit/channel available',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  44: 'Requested circuit/channel not available',
  47: 'Resource unavailable, unspecified',
  50: 'Requested facility not subscribed',
  58: 'Bearer capability not presently available',
  65: 'Bearer capability not implemented',
  79: 'Service or option not implemented, unspecified',
  88: 'Incompatible destination',
  102: 'Recovery on timer expiry',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

export function q850Text(cause: number | null): string {
  if (cause === null) return 'No cause reported';
  return Q850_TEXT[cause] ?? `Q.850 cause ${cause}`;
}

export type HangupClassification =
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly outcome: FailureOutcome; readonly retryable: boolean };

/** Unanswered causes with a specific outcome; every other cause is FAILED. */
const UNANSWERED_OUTCOMES: Readonly<Record<number, FailureOutcome>> = {
  1: 'INVALID_NUMBER',
  /**
   * 16 without an answer: someone cleared the call while it was still ringing — typically the
   * carrier's or the handset's ring timer, or the callee dismissing it. From the caller's side
   * nobody picked up, so it reads as NO_ANSWER (retryable), not as a failure of the number.
   */
  16: 'NO_ANSWER',
  17: 'BUSY',
  18: 'NO_ANSWER',
  19: 'NO_ANSWER',
  21: 'REJECTED',
  34: 'CONGESTION',
  42: 'CONGESTION',
};

/**
 * How a channel's end should be recorded.
 * - Answered: always `completed`, whatever the cause (even 17 or 34): the answer happened, so the
 *   time is billable and the call reached its callee.
 * - Not answered: by cause as in UNANSWERED_OUTCOMES; anything else is FAILED.
 * - Not answered and no cause at all (`null`): the adapter ended the channel for a reason of its
 *   own before any answer, which in practice means it lost track of it — LOST.
 * `retryable` comes from the outcome (see outcomes.ts).
 */
export function classifyHangup(input: { cause: number | null; answered: boolean }): HangupClassification {
  if (input.answered) return { kind: 'completed' };
  const outcome: FailureOutcome =
    input.cause === null ? 'LOST' : (UNANSWERED_OUTCOMES[input.cause] ?? 'FAILED');
  return { kind: 'failed', outcome, retryable: isRetryableOutcome(outcome) };
}
