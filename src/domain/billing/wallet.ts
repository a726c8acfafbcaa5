import { parsedEvent } from '../shared/checked-event.ts';
import type { z } from 'zod';
import { DomainError, ValidationError } from '../shared/errors.ts';
import { CurrencyMismatchError, formatMoney, money, type Money } from '../shared/money.ts';
import { rateCall } from './rating.ts';
import {
  isWalletEventType,
  ledgerEffect,
  walletEventSchemas,
  type AppliedRate,
  type ChargeEvidence,
  type WalletEvent,
  type WalletEventType,
} from './wallet-events.ts';

/**
 * The account wallet: balance, open reservations and the plan assignments, all in one stream so
 * a reservation and the balance it draws on are decided together, under one expected revision.
 */

type Applied = z.infer<typeof AppliedRate>;
type Evidence = z.infer<typeof ChargeEvidence>;

/** Every command names the account's currency (from its settings); the wallet's is fixed by its first event. */
type Base = { accountId: string; currency: string; at: string };

export type DepositFunds = { readonly type: 'DepositFunds'; readonly data: Base & { depositId: string; amountMinor: number; reference: string } };
export type ReserveFunds = {
  readonly type: 'ReserveFunds';
  readonly data: Base & { callId: string; amountMinor: number; destination: string; applied: Applied; maxDurationSeconds: number };
};
export type ReleaseReservation = { readonly type: 'ReleaseReservation'; readonly data: Base & { callId: string; reason: string } };
/** The amount is not in the command: the decider rates the evidence itself, so a charge always matches its rule. */
export type ChargeCall = {
  readonly type: 'ChargeCall';
  readonly data: Base & { callId: string; destination: string; applied: Applied; evidence: Evidence };
};
export type AdjustCredit = {
  readonly type: 'AdjustCredit';
  readonly data: Base & { adjustmentId: string; amountMinor: number; reason: string; callId: string | null };
};
export type SetLowBalanceThreshold = { readonly type: 'SetLowBalanceThreshold'; readonly data: Base & { thresholdMinor: number | null } };
export type AssignRatePlan = { readonly type: 'AssignRatePlan'; readonly data: Base & { planId: string; effectiveFrom: string | null } };

export type WalletCommand =
  | DepositFunds
  | ReserveFunds
  | ReleaseReservation
  | ChargeCall
  | AdjustCredit
  | SetLowBalanceThreshold
  | AssignRatePlan;

export type Reservation = { readonly amountMinor: number; readonly destination: string; readonly applied: Applied; readonly at: string };
export type Assignment = { readonly planId: string; readonly effectiveFrom: string };

export type WalletState = {
  readonly accountId: string | null;
  /** Null until the wallet's first event. */
  readonly currency: string | null;
  readonly balanceMinor: number;
  readonly reservedMinor: number;
  readonly reservations: Map<string, Reservation>;
  /** Call ids already charged: the charge's idempotency key. */
  readonly charged: Set<string>;
  /** Deposit reference → amount, so a retried top-up is recorded once. */
  readonly references: Map<string, number>;
  readonly adjustments: Set<string>;
  readonly thresholdMinor: number | null;
  /** True between a LowBalanceReached and the next time the balance is back at or above the threshold. */
  readonly belowThreshold: boolean;
  /** Oldest first; effectiveFrom never decreases. */
  readonly assignments: readonly Assignment[];
};

export function initialWalletState(): WalletState {
  return {
    accountId: null,
    currency: null,
    balanceMinor: 0,
    reservedMinor: 0,
    reservations: new Map(),
    charged: new Set(),
    references: new Map(),
    adjustments: new Set(),
    thresholdMinor: null,
    belowThreshold: false,
    assignments: [],
  };
}

export const availableMinor = (state: WalletState): number => state.balanceMinor - state.reservedMinor;

/**
 * Folds one event in. The collections of the state given are updated in place, so folding a long
 * wallet stays linear: a state must not be used again once it has been evolved (decide never evolves).
 * Unknown event types are skipped.
 */
export function evolveWallet(state: WalletState, event: { readonly type: string; readonly data: unknown }): WalletState {
  if (!isWalletEventType(event.type)) return state;
  const known = event as WalletEvent;
  const effect = ledgerEffect(known);
  const balanceMinor = state.balanceMinor + effect.balance;
  const reservedMinor = state.reservedMinor + effect.reserved;
  const currency = state.currency ?? currencyOf(known);
  let next: WalletState = { ...state, accountId: state.accountId ?? known.data.accountId, currency, balanceMinor, reservedMinor };

  switch (known.type) {
    case 'FundsDeposited':
      state.references.set(known.data.reference, known.data.amount.amountMinor);
      break;
    case 'FundsReserved':
      state.reservations.set(known.data.callId, {
        amountMinor: known.data.amount.amountMinor,
        destination: known.data.destination,
        applied: known.data.applied,
        at: known.data.at,
      });
      break;
    case 'ReservationReleased':
      state.reservations.delete(known.data.callId);
      break;
    case 'CallCharged':
      state.charged.add(known.data.callId);
      break;
    case 'CreditAdjusted':
      state.adjustments.add(known.data.adjustmentId);
      break;
    case 'LowBalanceReached':
      next = { ...next, belowThreshold: true };
      break;
    case 'LowBalanceThresholdSet':
      next = { ...next, thresholdMinor: known.data.threshold?.amountMinor ?? null, belowThreshold: false };
      break;
    case 'RatePlanAssigned':
      next = { ...next, assignments: [...state.assignments, { planId: known.data.planId, effectiveFrom: known.data.effectiveFrom }] };
      break;
  }
  if (next.belowThreshold && (next.thresholdMinor === null || next.balanceMinor >= next.thresholdMinor)) {
    next = { ...next, belowThreshold: false };
  }
  return next;
}

function currencyOf(event: WalletEvent): string | null {
  const data = event.data as { amount?: Money; threshold?: Money | null; currency?: string };
  return data.amount?.currency ?? data.threshold?.currency ?? data.currency ?? null;
}

function emit<K extends WalletEventType>(type: K, data: z.input<(typeof walletEventSchemas)[K]>): WalletEvent {
  return parsedEvent(walletEventSchemas[type], type, data) as WalletEvent;
}

/** The plan assigned at `at`: the latest assignment whose effectiveFrom is not after it. */
export function assignmentAt(state: WalletState, at: string): Assignment | null {
  const when = Date.parse(at);
  let found: Assignment | null = null;
  for (const assignment of state.assignments) if (Date.parse(assignment.effectiveFrom) <= when) found = assignment;
  return found;
}

export class InsufficientBalanceError extends DomainError {
  constructor(state: WalletState, currency: string, requiredMinor: number) {
    const available = money(availableMinor(state), currency);
    super('INSUFFICIENT_BALANCE', `Your balance is too low to make this call. Current balance: ${formatMoney(available)}`, {
      currency,
      balance_minor: state.balanceMinor,
      reserved_minor: state.reservedMinor,
      available_minor: available.amountMinor,
      required_minor: requiredMinor,
    });
    this.name = 'InsufficientBalanceError';
  }
}

/**
 * | command                | decides                                                                           |
 * |------------------------|-----------------------------------------------------------------------------------|
 * | DepositFunds           | FundsDeposited; a reference already used for the same amount → []; for another amount → DEPOSIT_REFERENCE_IN_USE |
 * | ReserveFunds           | FundsReserved; already reserved or charged → []; available < amount → INSUFFICIENT_BALANCE |
 * | ReleaseReservation     | ReservationReleased; nothing open for the call → []                               |
 * | ChargeCall             | CallCharged (rated here) + ReservationReleased when one is open; already charged → [];  |
 * |                        | the amount is capped at hold + available, the shortfall recorded as uncollectedMinor    |
 * | AdjustCredit           | CreditAdjusted; same adjustment id → []; a debit beyond the available balance → INSUFFICIENT_BALANCE |
 * | SetLowBalanceThreshold | LowBalanceThresholdSet (+ LowBalanceReached if already below); unchanged → []     |
 * | AssignRatePlan         | RatePlanAssigned; effectiveFrom before now or before the latest assignment → RATE_CHANGE_IN_THE_PAST |
 * Any money-out event that takes the balance below the threshold adds one LowBalanceReached, once per crossing.
 */
export function decideWallet(command: WalletCommand, state: WalletState): WalletEvent[] {
  const { accountId, currency, at } = command.data;
  if (state.accountId !== null && state.accountId !== accountId) {
    throw new DomainError('ACCOUNT_ID_MISMATCH', `Command for account ${accountId} sent to the wallet of ${state.accountId}.`, { accountId });
  }
  if (state.currency !== null && state.currency !== currency) throw new CurrencyMismatchError(state.currency, currency);
  const decided = decideMovement(command, state);
  return [...decided, ...lowBalanceAfter(state, decided, accountId, currency, at)];
}

function decideMovement(command: WalletCommand, state: WalletState): WalletEvent[] {
  const { accountId, currency, at } = command.data;
  switch (command.type) {
    case 'DepositFunds': {
      const { depositId, amountMinor, reference } = command.data;
      const previous = state.references.get(reference);
      if (previous !== undefined) {
        if (previous === amountMinor) return [];
        throw new DomainError('DEPOSIT_REFERENCE_IN_USE', `Reference "${reference}" was already recorded for a different amount.`, { reference });
      }
      if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
        throw new ValidationError('A top-up is a positive whole number of minor units.', { amount_minor: amountMinor });
      }
      return [emit('FundsDeposited', { accountId, depositId, amount: money(amountMinor, currency), reference, at })];
    }
    case 'ReserveFunds': {
      const { callId, amountMinor, destination, applied, maxDurationSeconds } = command.data;
      if (state.reservations.has(callId) || state.charged.has(callId)) return [];
      if (amountMinor > availableMinor(state)) throw new InsufficientBalanceError(state, currency, amountMinor);
      return [emit('FundsReserved', { accountId, callId, amount: money(amountMinor, currency), destination, applied, maxDurationSeconds, at })];
    }
    case 'ReleaseReservation': {
      const open = state.reservations.get(command.data.callId);
      if (!open) return [];
      return [emit('ReservationReleased', { accountId, callId: command.data.callId, amount: money(open.amountMinor, currency), reason: command.data.reason, at })];
    }
    case 'ChargeCall': {
      const { callId, destination, applied, evidence } = command.data;
      if (state.charged.has(callId)) return [];
      const rated = rateCall(applied.rate, evidence.billableMs, evidence.attempt);
      const open = state.reservations.get(callId);
      const coverable = availableMinor(state) + (open?.amountMinor ?? 0);
      const collected = Math.max(0, Math.min(rated.amountMinor, coverable));
      const events = [
        emit('CallCharged', {
          accountId,
          callId,
          amount: money(collected, currency),
          destination,
          applied,
          computation: {
            billableMs: rated.billableMs,
            billableSeconds: rated.billableSeconds,
            minimumBillableSeconds: applied.rate.minimumBillableSeconds,
            minimumAppliedSeconds: rated.minimumAppliedSeconds,
            initialIncrementSeconds: applied.rate.initialIncrementSeconds,
            subsequentIncrementSeconds: applied.rate.subsequentIncrementSeconds,
            subsequentIncrements: rated.subsequentIncrements,
            billedSeconds: rated.billedSeconds,
            ratePerMinuteMinor: applied.rate.ratePerMinuteMinor,
            durationChargeMinor: rated.durationChargeMinor,
            connectionFeeMinor: rated.connectionFeeMinor,
            ratedAmountMinor: rated.amountMinor,
            uncollectedMinor: rated.amountMinor - collected,
            rounding: rated.rounding,
          },
          evidence,
          chargedAt: at,
        }),
      ];
      if (open) events.push(emit('ReservationReleased', { accountId, callId, amount: money(open.amountMinor, currency), reason: 'charged', at }));
      return events;
    }
    case 'AdjustCredit': {
      const { adjustmentId, amountMinor, reason, callId } = command.data;
      if (state.adjustments.has(adjustmentId)) return [];
      if (!Number.isSafeInteger(amountMinor) || amountMinor === 0) {
        throw new ValidationError('An adjustment is a non-zero whole number of minor units.', { amount_minor: amountMinor });
      }
      if (amountMinor < 0 && -amountMinor > availableMinor(state)) throw new InsufficientBalanceError(state, currency, -amountMinor);
      return [emit('CreditAdjusted', { accountId, adjustmentId, amount: money(amountMinor, currency), reason, callId, at })];
    }
    case 'SetLowBalanceThreshold': {
      const { thresholdMinor } = command.data;
      if (thresholdMinor === state.thresholdMinor && state.currency !== null) return [];
      return [emit('LowBalanceThresholdSet', { accountId, threshold: thresholdMinor === null ? null : money(thresholdMinor, currency), at })];
    }
    case 'AssignRatePlan': {
      const effectiveFrom = command.data.effectiveFrom ?? at;
      const latest = state.assignments.at(-1);
      if (Date.parse(effectiveFrom) < Date.parse(at) || (latest && Date.parse(effectiveFrom) < Date.parse(latest.effectiveFrom))) {
        throw new DomainError('RATE_CHANGE_IN_THE_PAST', 'A plan assignment applies from now or later, never backwards.', {
          effective_from: effectiveFrom,
          now: at,
          latest_effective_from: latest?.effectiveFrom ?? null,
        });
      }
      if (latest && latest.planId === command.data.planId && latest.effectiveFrom === effectiveFrom) return [];
      return [emit('RatePlanAssigned', { accountId, planId: command.data.planId, currency, effectiveFrom, at })];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown wallet command: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** One LowBalanceReached when the decided events take the balance from at-or-above the threshold to below it. */
function lowBalanceAfter(state: WalletState, decided: readonly WalletEvent[], accountId: string, currency: string, at: string): WalletEvent[] {
  if (decided.length === 0) return [];
  const set = decided.find((event) => event.type === 'LowBalanceThresholdSet');
  const threshold = set ? ((set.data as { threshold: Money | null }).threshold?.amountMinor ?? null) : state.thresholdMinor;
  const alreadyBelow = set ? false : state.belowThreshold;
  if (threshold === null || alreadyBelow) return [];
  const balance = decided.reduce((sum, event) => sum + ledgerEffect(event).balance, state.balanceMinor);
  if (balance >= threshold) return [];
  return [emit('LowBalanceReached', { accountId, threshold: money(threshold, currency), balance: money(balance, currency), at })];
}

export const walletDecider = {
  initialState: initialWalletState,
  evolve: evolveWallet,
  decide: decideWallet,
};
