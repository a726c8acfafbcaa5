import { z } from 'zod';
import { MoneySchema } from '../shared/money.ts';
import { RateEntrySchema } from './rating.ts';

/**
 * The wallet's events (stream `wallet-<accountId>`): every movement of an account's money, each
 * with the evidence behind it. Amounts are Money (integer minor units + ISO currency).
 */

const instant = z.iso.datetime({ offset: true });
const accountId = z.string().min(1);
const callId = z.string().min(1);
const positive = MoneySchema.refine((m) => m.amountMinor > 0, 'must be more than zero');
const nonNegative = MoneySchema.refine((m) => m.amountMinor >= 0, 'must not be negative');

/** An operator recorded a payment received (a top-up). `reference` is the operator's payment reference. */
export const FundsDeposited = z.object({
  accountId,
  depositId: z.string().min(1),
  amount: positive,
  reference: z.string().min(1).max(200),
  at: instant,
});

/** The rate a call was priced with, named so an auditor can find it in the plan's stream. */
export const AppliedRate = z.object({
  planId: z.string().min(1),
  planVersion: z.number().int().positive(),
  rate: RateEntrySchema,
});

/** A hold placed before dialling: enough for the call's maximum duration at its destination's rate. */
export const FundsReserved = z.object({
  accountId,
  callId,
  amount: nonNegative,
  destination: z.string(),
  applied: AppliedRate,
  maxDurationSeconds: z.number().int().positive(),
  at: instant,
});

export const ReservationReleased = z.object({
  accountId,
  callId,
  amount: nonNegative,
  /** 'charged' once the call is charged; 'call_not_placed' when the placement was undone. */
  reason: z.string().min(1),
  at: instant,
});

/** The call's facts the charge was computed from: everything needed to recompute it. */
export const ChargeEvidence = z.object({
  attempt: z.enum(['answered', 'unanswered', 'not_dialled', 'waived']),
  /** When the call was placed; the plan version in force then is the one applied. */
  requestedAt: instant,
  answeredAt: instant.nullable(),
  endedAt: instant,
  /** Exactly as the call's terminal event recorded it. */
  billableMs: z.number().int().nonnegative(),
  cause: z.number().int().nonnegative().nullable(),
  causeText: z.string(),
  /** COMPLETED, or the failure outcome (BUSY, NO_ANSWER…). */
  outcome: z.string(),
  /** The CallCompleted / CallFailed / CallLost / CallBlocked event this charge settles. */
  terminalEventId: z.string().min(1),
  terminalEventType: z.enum(['CallCompleted', 'CallFailed', 'CallLost', 'CallBlocked']),
});

export const ChargeComputation = z.object({
  billableMs: z.number().int().nonnegative(),
  billableSeconds: z.number().int().nonnegative(),
  minimumBillableSeconds: z.number().int().nonnegative(),
  minimumAppliedSeconds: z.number().int().nonnegative(),
  initialIncrementSeconds: z.number().int().positive(),
  subsequentIncrementSeconds: z.number().int().positive(),
  subsequentIncrements: z.number().int().nonnegative(),
  billedSeconds: z.number().int().nonnegative(),
  ratePerMinuteMinor: z.number().int().nonnegative(),
  durationChargeMinor: z.number().int().nonnegative(),
  connectionFeeMinor: z.number().int().nonnegative(),
  /** What rateCall gave: duration charge + connection fee. */
  ratedAmountMinor: z.number().int().nonnegative(),
  /**
   * The part of the rated amount the wallet could not cover (hold + available balance), so the
   * balance never goes below zero; `amount` = rated − uncollected. Zero whenever the hold taken at
   * placement covered the call, which it does for every call the watchdog ends on time.
   */
  uncollectedMinor: z.number().int().nonnegative(),
  rounding: z.string(),
});

/** The final charge of a call. The call id is its idempotency key: a call is charged once. */
export const CallCharged = z.object({
  accountId,
  callId,
  amount: nonNegative,
  destination: z.string(),
  applied: AppliedRate,
  computation: ChargeComputation,
  evidence: ChargeEvidence,
  chargedAt: instant,
});

/** A manual credit (positive) or debit (negative) by an operator, with its reason: a dispute's remedy. */
export const CreditAdjusted = z.object({
  accountId,
  adjustmentId: z.string().min(1),
  amount: MoneySchema.refine((m) => m.amountMinor !== 0, 'must not be zero'),
  reason: z.string().min(1).max(500),
  /** The disputed call, when the adjustment settles one. */
  callId: z.string().nullable(),
  at: instant,
});

/** The balance fell below the account's threshold. Once per crossing: it fires again only after a top-up lifts it back. */
export const LowBalanceReached = z.object({
  accountId,
  threshold: MoneySchema,
  balance: MoneySchema,
  at: instant,
});

export const LowBalanceThresholdSet = z.object({
  accountId,
  /** Null turns the alert off. */
  threshold: nonNegative.nullable(),
  at: instant,
});

/** From `effectiveFrom` on, calls of this account are rated with `planId`. Never backdated. */
export const RatePlanAssigned = z.object({
  accountId,
  planId: z.string().min(1),
  currency: z.string(),
  effectiveFrom: instant,
  at: instant,
});

export const walletEventSchemas = {
  FundsDeposited,
  FundsReserved,
  ReservationReleased,
  CallCharged,
  CreditAdjusted,
  LowBalanceReached,
  LowBalanceThresholdSet,
  RatePlanAssigned,
} as const;

export type WalletEventType = keyof typeof walletEventSchemas;
export type WalletEvent = {
  [K in WalletEventType]: { readonly type: K; readonly data: z.infer<(typeof walletEventSchemas)[K]> };
}[WalletEventType];
export type WalletEventOf<K extends WalletEventType> = Extract<WalletEvent, { type: K }>;

export const WALLET_SCHEMA_VERSION: Record<WalletEventType, number> = {
  FundsDeposited: 1,
  FundsReserved: 1,
  ReservationReleased: 1,
  CallCharged: 1,
  CreditAdjusted: 1,
  LowBalanceReached: 1,
  LowBalanceThresholdSet: 1,
  RatePlanAssigned: 1,
};

export function isWalletEventType(type: string): type is WalletEventType {
  return Object.hasOwn(walletEventSchemas, type);
}

/** How much each event moves the balance and the reserved total, in minor units. The one ledger rule. */
export function ledgerEffect(event: { type: string; data: unknown }): { balance: number; reserved: number } {
  const data = event.data as { amount?: { amountMinor: number } };
  const amount = data.amount?.amountMinor ?? 0;
  switch (event.type) {
    case 'FundsDeposited':
    case 'CreditAdjusted':
      return { balance: amount, reserved: 0 };
    case 'CallCharged':
      return { balance: -amount, reserved: 0 };
    case 'FundsReserved':
      return { balance: 0, reserved: amount };
    case 'ReservationReleased':
      return { balance: 0, reserved: -amount };
    default:
      return { balance: 0, reserved: 0 };
  }
}
