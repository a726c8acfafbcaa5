/** The Q.850 causes the simulator reports, with the texts Asterisk puts in `cause_txt`. */
export const CAUSE = {
  UNALLOCATED: 1,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_ANSWER: 19,
  CALL_REJECTED: 21,
  CONGESTION: 34,
} as const;

const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  27: 'Destination out of order',
  28: 'Invalid number format (addr incomplete)',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
};

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

/** ARI's `reason` words for DELETE /channels/{id}, mapped to the cause they stand for. */
const HANGUP_REASONS: Readonly<Record<string, number>> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 19,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

/**
 * The cause a hangup request stands for. Newer Asterisk takes a numeric `reason_code`; older ones
 * a `reason` word. Returns null when neither is usable so the route can answer 400.
 */
export function hangupCause(reasonCode: string | undefined, reason: string | undefined): number | null {
  if (reasonCode !== undefined && reasonCode !== '') {
    if (/^\d{1,3}$/.test(reasonCode)) return Number(reasonCode);
    return HANGUP_REASONS[reasonCode] ?? null;
  }
  if (reason !== undefined && reason !== '') return HANGUP_REASONS[reason] ?? null;
  return CAUSE.NORMAL_CLEARING;
}
