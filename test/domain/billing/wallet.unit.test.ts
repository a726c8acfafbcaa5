import { describe, expect, it } from 'vitest';
import {
  decideRatePlan,
  decideWallet,
  evolveRatePlan,
  evolveWallet,
  initialRatePlanState,
  initialWalletState,
  planVersionAt,
  assignmentAt,
  type RateEntry,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '../../../src/domain/billing/index.ts';

const ACCOUNT = 'acct-1';
const T0 = '2026-11-23T10:00:00.000Z';
const rate: RateEntry = {
  rateId: 'pk', prefix: '+92', description: null, ratePerMinuteMinor: 120,
  initialIncrementSeconds: 60, subsequentIncrementSeconds: 60, connectionFeeMinor: 0, minimumBillableSeconds: 0,
};
const applied = { planId: 'plan-1', planVersion: 1, rate };
const base = { accountId: ACCOUNT, currency: 'PKR', at: T0 };

function given(...commands: WalletCommand[]): WalletState {
  let state = initialWalletState();
  for (const command of commands) for (const event of decideWallet(command, state)) state = evolveWallet(state, event);
  return state;
}
const deposit = (amountMinor: number, reference = `ref-${amountMinor}`): WalletCommand => ({ type: 'DepositFunds', data: { ...base, depositId: reference, amountMinor, reference } });
const reserve = (callId: string, amountMinor: number): WalletCommand => ({
  type: 'ReserveFunds', data: { ...base, callId, amountMinor, destination: '+923001234567', applied, maxDurationSeconds: 60 },
});
const charge = (callId: string, billableMs: number): WalletCommand => ({
  type: 'ChargeCall',
  data: {
    ...base, callId, destination: '+923001234567', applied,
    evidence: {
      attempt: 'answered', requestedAt: T0, answeredAt: T0, endedAt: T0, billableMs, cause: 16, causeText: 'Normal Clearing',
      outcome: 'COMPLETED', terminalEventId: `ev-${callId}`, terminalEventType: 'CallCompleted',
    },
  },
});
const types = (events: WalletEvent[]) => events.map((e) => e.type);

describe('wallet decider', () => {
  it('refuses a hold the available balance cannot cover, with the seed\'s message and 402 code', () => {
    const state = given(deposit(500), reserve('c1', 400));
    expect(() => decideWallet(reserve('c2', 101), state)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_BALANCE', message: 'Your balance is too low to make this call. Current balance: PKR 1.00' }),
    );
    expect(types(decideWallet(reserve('c2', 100), state))).toEqual(['FundsReserved']);
    expect(() => decideWallet(reserve('c1', 1), given())).toThrow(/Current balance: PKR 0\.00/);
  });

  it('charges by the rating rule, releases the hold, and charges a call id only once', () => {
    const state = given(deposit(1000), reserve('c1', 240));
    const events = decideWallet(charge('c1', 61_000), state);
    expect(types(events)).toEqual(['CallCharged', 'ReservationReleased']);
    const charged = events[0]!.data as any;
    expect(charged.amount).toEqual({ amountMinor: 240, currency: 'PKR' });
    expect(charged.computation).toMatchObject({ billableMs: 61_000, billableSeconds: 61, billedSeconds: 120 });
    const after = events.reduce(evolveWallet, state);
    expect(after).toMatchObject({ balanceMinor: 760, reservedMinor: 0 });
    expect(decideWallet(charge('c1', 61_000), after)).toEqual([]);
    expect(decideWallet(reserve('c1', 10), after)).toEqual([]);
  });

  it('never takes the balance below zero: a charge without a covering hold records the shortfall instead', () => {
    const events = decideWallet(charge('no-hold', 61_000), given(deposit(100)));
    expect((events[0]!.data as any).amount.amountMinor).toBe(100);
    expect((events[0]!.data as any).computation).toMatchObject({ ratedAmountMinor: 240, uncollectedMinor: 140 });
  });

  it('records a top-up reference once; reusing it for another amount is refused', () => {
    const state = given(deposit(1000, 'bank-42'));
    expect(decideWallet(deposit(1000, 'bank-42'), state)).toEqual([]);
    expect(() => decideWallet(deposit(999, 'bank-42'), state)).toThrow(expect.objectContaining({ code: 'DEPOSIT_REFERENCE_IN_USE' }));
    expect(() => decideWallet(deposit(0, 'zero'), state)).toThrow(/positive/);
  });

  it('fires LowBalanceReached once per crossing, again only after a top-up lifts the balance', () => {
    const threshold: WalletCommand = { type: 'SetLowBalanceThreshold', data: { ...base, thresholdMinor: 500 } };
    let state = given(deposit(1000), threshold, reserve('a', 300));
    let events = decideWallet(charge('a', 180_000), state); // 3 min × 120 = 360 → balance 640
    expect(types(events)).toEqual(['CallCharged', 'ReservationReleased']);
    state = events.reduce(evolveWallet, state);
    state = given(); // start over to walk the whole story in order
    const story: WalletCommand[] = [deposit(1000), threshold, reserve('a', 600), charge('a', 300_000), reserve('b', 120), charge('b', 60_000)];
    const fired: string[] = [];
    for (const command of story) {
      events = decideWallet(command, state);
      fired.push(...types(events).filter((t) => t === 'LowBalanceReached'));
      state = events.reduce(evolveWallet, state);
    }
    expect(fired).toEqual(['LowBalanceReached']); // 1000 → 400 crosses; 400 → 280 does not fire again
    events = decideWallet(deposit(1000, 'top-up'), state);
    state = events.reduce(evolveWallet, state);
    expect(state.belowThreshold).toBe(false);
    events = decideWallet({ type: 'AdjustCredit', data: { ...base, adjustmentId: 'adj', amountMinor: -1000, reason: 'dispute reversal', callId: null } }, state);
    expect(types(events)).toEqual(['CreditAdjusted', 'LowBalanceReached']);
  });

  it('refuses a debit adjustment beyond the available balance and ignores a repeated adjustment id', () => {
    const state = given(deposit(100), { type: 'AdjustCredit', data: { ...base, adjustmentId: 'x', amountMinor: 50, reason: 'goodwill', callId: null } });
    expect(state.balanceMinor).toBe(150);
    expect(decideWallet({ type: 'AdjustCredit', data: { ...base, adjustmentId: 'x', amountMinor: 50, reason: 'goodwill', callId: null } }, state)).toEqual([]);
    expect(() => decideWallet({ type: 'AdjustCredit', data: { ...base, adjustmentId: 'y', amountMinor: -151, reason: 'r', callId: null } }, state)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_BALANCE' }),
    );
  });

  it('keeps one currency per wallet and refuses commands for another account', () => {
    const state = given(deposit(100));
    expect(() => decideWallet({ type: 'DepositFunds', data: { ...base, currency: 'USD', depositId: 'u', amountMinor: 1, reference: 'u' } }, state)).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH' }),
    );
    expect(() => decideWallet({ type: 'DepositFunds', data: { ...base, accountId: 'other', depositId: 'o', amountMinor: 1, reference: 'o' } }, state)).toThrow(
      expect.objectContaining({ code: 'ACCOUNT_ID_MISMATCH' }),
    );
  });

  it('assigns plans from now or later, never backwards, and looks up the one in force at a time', () => {
    const assign = (planId: string, effectiveFrom: string | null, at = T0): WalletCommand => ({ type: 'AssignRatePlan', data: { ...base, at, planId, effectiveFrom } });
    const state = given(assign('p1', null), assign('p2', '2026-12-01T00:00:00.000Z'));
    expect(assignmentAt(state, '2026-11-30T23:59:59.999Z')?.planId).toBe('p1');
    expect(assignmentAt(state, '2026-12-01T00:00:00.000Z')?.planId).toBe('p2');
    expect(assignmentAt(state, '2026-11-01T00:00:00.000Z')).toBeNull();
    expect(() => decideWallet(assign('p3', '2026-11-01T00:00:00.000Z'), state)).toThrow(expect.objectContaining({ code: 'RATE_CHANGE_IN_THE_PAST' }));
    expect(() => decideWallet(assign('p3', '2026-11-30T00:00:00.000Z'), state)).toThrow(expect.objectContaining({ code: 'RATE_CHANGE_IN_THE_PAST' }));
  });
});

describe('rate plan decider', () => {
  const create = { type: 'CreateRatePlan' as const, data: { planId: 'p1', name: 'Retail', currency: 'PKR', rates: [rate], at: T0 } };
  it('versions a plan forward in time and finds the version in force when a call was placed', () => {
    let state = decideRatePlan(create, initialRatePlanState()).reduce(evolveRatePlan, initialRatePlanState());
    const cheaper = { ...rate, ratePerMinuteMinor: 100 };
    const revised = decideRatePlan({ type: 'ReviseRatePlan', data: { planId: 'p1', rates: [cheaper], effectiveFrom: '2026-12-01T00:00:00.000Z', at: T0 } }, state);
    expect(revised[0]!.data).toMatchObject({ version: 2 });
    state = revised.reduce(evolveRatePlan, state);
    expect(planVersionAt(state, '2026-11-30T00:00:00.000Z')?.version).toBe(1);
    expect(planVersionAt(state, '2026-12-02T00:00:00.000Z')?.rates[0]?.ratePerMinuteMinor).toBe(100);
    expect(() =>
      decideRatePlan({ type: 'ReviseRatePlan', data: { planId: 'p1', rates: [rate], effectiveFrom: '2026-11-01T00:00:00.000Z', at: T0 } }, state),
    ).toThrow(expect.objectContaining({ code: 'RATE_CHANGE_IN_THE_PAST' }));
    expect(decideRatePlan(create, state)).toEqual([]);
  });

  it('refuses duplicate prefixes and an empty plan as a validation error', () => {
    expect(() => decideRatePlan({ ...create, data: { ...create.data, rates: [rate, { ...rate, rateId: 'dup' }] } }, initialRatePlanState())).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => decideRatePlan({ ...create, data: { ...create.data, rates: [] } }, initialRatePlanState())).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });
});
