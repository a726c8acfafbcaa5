import { z } from 'zod';
import { ValidationError } from '../shared/errors.ts';

/**
 * Rating: what a call costs, computed by one pure function from a rate entry and the call's
 * billable milliseconds. Integer arithmetic only; every rounding step is written down in
 * RATING_RULES and copied into each charge, so a dispute reads the rule that was applied.
 */

const MAX_INCREMENT_SECONDS = 3_600;
const minor = z.number().int().nonnegative().refine(Number.isSafeInteger, 'must be a safe integer');

/** One destination of a rate plan. Amounts are minor units of the plan's currency. */
export const RateEntrySchema = z.object({
  /** Stable within a plan version; charges name it. */
  rateId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  /** E.164 prefix: '+92', '+44', or '+' alone as the catch-all. */
  prefix: z.string().regex(/^\+\d{0,15}$/),
  description: z.string().max(200).nullable(),
  ratePerMinuteMinor: minor,
  /** The first increment billed once answered: 60 in 60/60, 30 in 30/6. */
  initialIncrementSeconds: z.number().int().min(1).max(MAX_INCREMENT_SECONDS),
  /** Every later increment: 60 in 60/60, 6 in 30/6. */
  subsequentIncrementSeconds: z.number().int().min(1).max(MAX_INCREMENT_SECONDS),
  /** Charged once per call attempt the carrier saw, answered or not. */
  connectionFeeMinor: minor,
  /** An answered call is billed at least this long (before increments). */
  minimumBillableSeconds: z.number().int().min(0).max(MAX_INCREMENT_SECONDS),
});
export type RateEntry = z.infer<typeof RateEntrySchema>;

/**
 * How a call attempt ended, as far as billing cares:
 * - `answered`: billed for its duration plus the connection fee;
 * - `unanswered`: the carrier saw it (busy, no answer, rejected…): the connection fee only;
 * - `not_dialled`: it never reached a carrier (cancelled, no PBX, lost before dialling): free.
 * - `waived`: answered, but the operator's rule forgives it (a lost call under `not_billed`): free.
 */
export type BillableAttempt = 'answered' | 'unanswered' | 'not_dialled' | 'waived';

/** Attempts that cost nothing at all, not even the connection fee. */
const FREE_ATTEMPTS: ReadonlySet<BillableAttempt> = new Set(['not_dialled', 'waived']);

export const RATING_RULES =
  'billable ms rounded up to whole seconds; an answered call bills at least the minimum billable seconds; ' +
  'then the first initial increment, then whole subsequent increments, each rounded up; ' +
  'amount = ceil(rate per minute × billed seconds / 60) in minor units, plus the connection fee ' +
  '(charged for answered and unanswered attempts, not for calls that never reached a carrier or that the operator waived)';

export type RatedCall = {
  readonly attempt: BillableAttempt;
  /** The real time from answer to hangup, exactly as the call recorded it. */
  readonly billableMs: number;
  /** billableMs rounded up to whole seconds. */
  readonly billableSeconds: number;
  /** billableSeconds raised to the minimum billable duration (answered calls only). */
  readonly minimumAppliedSeconds: number;
  /** What the customer pays for: initial increment plus whole subsequent increments. */
  readonly billedSeconds: number;
  /** How many subsequent increments were billed after the initial one. */
  readonly subsequentIncrements: number;
  readonly durationChargeMinor: number;
  readonly connectionFeeMinor: number;
  readonly amountMinor: number;
  readonly rounding: string;
};

const ceilDiv = (numerator: bigint, denominator: bigint): bigint => (numerator + denominator - 1n) / denominator;

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ValidationError(`${what} is too large to represent exactly.`, { what });
  return Number(value);
}

/** Seconds billed for `seconds` of talk: 0 stays 0; otherwise the initial increment, then whole subsequent ones. */
export function billedSecondsFor(seconds: number, initial: number, subsequent: number): { billedSeconds: number; subsequentIncrements: number } {
  if (seconds <= 0) return { billedSeconds: 0, subsequentIncrements: 0 };
  if (seconds <= initial) return { billedSeconds: initial, subsequentIncrements: 0 };
  const increments = Math.ceil((seconds - initial) / subsequent);
  return { billedSeconds: initial + increments * subsequent, subsequentIncrements: increments };
}

/**
 * The charge for one call. Pure and total over valid input: the same rate and milliseconds always
 * give the same charge, which is what lets an auditor recompute any CallCharged from its evidence.
 * 30/6 bills 10 s as 30 s and 31 s as 36 s; 60/60 bills 61 s as 120 s; 1/1 bills 61 s as 61 s.
 */
export function rateCall(rate: RateEntry, billableMs: number, attempt: BillableAttempt = 'answered'): RatedCall {
  if (!Number.isSafeInteger(billableMs) || billableMs < 0) {
    throw new ValidationError('Billable time is a whole, non-negative number of milliseconds.', { billableMs });
  }
  const answered = attempt === 'answered';
  const ms = answered ? billableMs : 0;
  const billableSeconds = Math.ceil(ms / 1000);
  const minimumAppliedSeconds = answered ? Math.max(billableSeconds, rate.minimumBillableSeconds) : 0;
  const { billedSeconds, subsequentIncrements } = billedSecondsFor(
    minimumAppliedSeconds,
    rate.initialIncrementSeconds,
    rate.subsequentIncrementSeconds,
  );
  const duration = ceilDiv(BigInt(rate.ratePerMinuteMinor) * BigInt(billedSeconds), 60n);
  const connectionFee = FREE_ATTEMPTS.has(attempt) ? 0n : BigInt(rate.connectionFeeMinor);
  return {
    attempt,
    billableMs: ms,
    billableSeconds,
    minimumAppliedSeconds,
    billedSeconds,
    subsequentIncrements,
    durationChargeMinor: safeNumber(duration, 'The duration charge'),
    connectionFeeMinor: safeNumber(connectionFee, 'The connection fee'),
    amountMinor: safeNumber(duration + connectionFee, 'The charge'),
    rounding: RATING_RULES,
  };
}

/**
 * What to hold before dialling a call capped at `maxDurationSeconds`: the charge of a call that
 * runs one second past the cap (the watchdog's reaction time), so the hold always covers the charge.
 */
export function reservationFor(rate: RateEntry, maxDurationSeconds: number): number {
  return rateCall(rate, (maxDurationSeconds + 1) * 1000, 'answered').amountMinor;
}

/** Longest-prefix match of a canonical E.164 number; null when no prefix matches. */
export function findRate(rates: readonly RateEntry[], e164: string): RateEntry | null {
  let best: RateEntry | null = null;
  for (const rate of rates) {
    if (e164.startsWith(rate.prefix) && (best === null || rate.prefix.length > best.prefix.length)) best = rate;
  }
  return best;
}
