import type { CallEventOf } from '../call/events.ts';

export type LostCallData = CallEventOf<'CallLost'>['data'];

/**
 * The rule a lost call was billed by, in words a customer can check against the timeline. The
 * audit and the dispute report print it beside the arithmetic, so "why was I charged for a call
 * that dropped" has an answer taken from the log alone.
 */
export function lostCallBillingSentence(lost: LostCallData): string {
  if (lost.billingRule === 'not_billed') {
    return `billing rule not_billed: the operator does not charge calls whose end the PBX never reported, so 0 ms is billable`;
  }
  const seen = lost.lastSeenAt === null
    ? 'no fact from the PBX after the answer, so billable time stops at the answer'
    : `the last fact from the PBX showing the channel up was at ${lost.lastSeenAt}`;
  return `billing rule until_last_seen: ${seen}; billed from the answer at ${lost.answeredAt} to ${String(lost.billableUntil)} = ${lost.billableMs} ms (the loss was detected at ${lost.detectedAt}; time after the last fact is never billed)`;
}
