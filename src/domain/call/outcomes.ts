import type { FailureOutcome } from './events.ts';

/**
 * Whether dialling the same number again later could go differently.
 *
 * | outcome        | retryable | why                                                        |
 * |----------------|-----------|------------------------------------------------------------|
 * | BUSY           | yes       | the line will free up                                      |
 * | NO_ANSWER      | yes       | the person may pick up next time                           |
 * | CONGESTION     | yes       | the network was full, not the number wrong                 |
 * | LOST           | yes       | we lost track of the call; nothing says the number is bad  |
 * | REJECTED       | no        | the callee (or their network) refused on purpose           |
 * | INVALID_NUMBER | no        | the number does not exist; retrying costs and annoys       |
 * | FAILED         | no        | an unclassified failure; a person should look first        |
 * | CANCELLED      | no        | we hung up ourselves before the carrier was involved       |
 */
const RETRYABLE: Readonly<Record<FailureOutcome, boolean>> = {
  BUSY: true,
  NO_ANSWER: true,
  CONGESTION: true,
  LOST: true,
  REJECTED: false,
  INVALID_NUMBER: false,
  FAILED: false,
  CANCELLED: false,
};

export function isRetryableOutcome(outcome: FailureOutcome): boolean {
  return RETRYABLE[outcome];
}
