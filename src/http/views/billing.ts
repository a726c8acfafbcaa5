import type { RateEntry } from '../../domain/billing/rating.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import type { BalanceRecord, ChargeRecord, RatePlanRecord } from '../../projections/billing/queries.ts';

/** The public JSON of money, balances, rates and charges. Money is always minor units + currency + text. */

export type MoneyView = { amount_minor: number; currency: string; formatted: string };

export const moneyView = (amountMinor: number, currency: string): MoneyView => ({
  amount_minor: amountMinor,
  currency,
  formatted: formatMoney({ amountMinor, currency }),
});

export function rateView(rate: RateEntry, currency: string) {
  return {
    rate_id: rate.rateId,
    prefix: rate.prefix,
    description: rate.description,
    rate_per_minute: moneyView(rate.ratePerMinuteMinor, currency),
    billing_increment: `${rate.initialIncrementSeconds}/${rate.subsequentIncrementSeconds}`,
    initial_increment_seconds: rate.initialIncrementSeconds,
    subsequent_increment_seconds: rate.subsequentIncrementSeconds,
    connection_fee: moneyView(rate.connectionFeeMinor, currency),
    minimum_billable_seconds: rate.minimumBillableSeconds,
  };
}

export type BalanceInput = {
  accountId: string;
  currency: string;
  balance: BalanceRecord | null;
  plan: { plan: RatePlanRecord; version: RatePlanRecord['versions'][number]; effectiveFrom: string } | null;
};

export function balanceView({ currency, balance, plan }: BalanceInput) {
  const balanceMinor = balance?.balanceMinor ?? 0;
  const reservedMinor = balance?.reservedMinor ?? 0;
  const threshold = balance?.lowBalanceThresholdMinor ?? null;
  return {
    balance: moneyView(balanceMinor, currency),
    available: moneyView(balanceMinor - reservedMinor, currency),
    reserved: moneyView(reservedMinor, currency),
    open_reservations: balance?.openReservations ?? 0,
    currency,
    low_balance_threshold: threshold === null ? null : moneyView(threshold, currency),
    low_balance: threshold !== null && balanceMinor < threshold,
    totals: {
      deposited: moneyView(balance?.depositedMinor ?? 0, currency),
      charged: moneyView(balance?.chargedMinor ?? 0, currency),
      adjusted: moneyView(balance?.adjustedMinor ?? 0, currency),
      calls_charged: balance?.callsCharged ?? 0,
    },
    rate_plan: plan
      ? {
          id: plan.plan.planId,
          name: plan.plan.name,
          version: plan.version.version,
          assigned_from: plan.effectiveFrom,
          version_effective_from: plan.version.effectiveFrom,
          rates: plan.version.rates.map((rate) => rateView(rate, currency)),
        }
      : null,
    updated_at: balance?.updatedAt ?? null,
  };
}

export function chargeView(charge: ChargeRecord) {
  const { currency, computation: c, evidence: e } = charge;
  const rate = charge.applied.rate;
  const n = (key: string): number => Number(c[key] ?? 0);
  return {
    call_id: charge.callId,
    event_id: charge.eventId,
    amount: moneyView(charge.amountMinor, currency),
    charged_at: charge.chargedAt,
    destination: charge.destination,
    outcome: charge.outcome,
    rate: { plan_id: charge.planId, plan_version: charge.planVersion, ...rateView(rate, currency) },
    computation: {
      billable_ms: n('billableMs'),
      billable_seconds: n('billableSeconds'),
      minimum_billable_seconds: n('minimumBillableSeconds'),
      billed_seconds: n('billedSeconds'),
      billing_increment: `${n('initialIncrementSeconds')}/${n('subsequentIncrementSeconds')}`,
      subsequent_increments: n('subsequentIncrements'),
      duration_charge: moneyView(n('durationChargeMinor'), currency),
      connection_fee: moneyView(n('connectionFeeMinor'), currency),
      rated_amount: moneyView(n('ratedAmountMinor'), currency),
      uncollected: moneyView(n('uncollectedMinor'), currency),
      formula:
        `ceil(${n('ratePerMinuteMinor')} × ${n('billedSeconds')} / 60) + ${n('connectionFeeMinor')} = ${n('ratedAmountMinor')}` +
        (n('uncollectedMinor') > 0 ? `, of which ${n('uncollectedMinor')} could not be covered` : '') +
        ` → ${charge.amountMinor} (minor units)`,
      rounding: String(c.rounding ?? ''),
    },
    evidence: {
      attempt: e.attempt,
      requested_at: e.requestedAt,
      answered_at: e.answeredAt,
      ended_at: e.endedAt,
      billable_ms: e.billableMs,
      hangup_cause: { code: e.cause, text: e.causeText },
      outcome: e.outcome,
      terminal_event_id: e.terminalEventId,
      terminal_event_type: e.terminalEventType,
    },
  };
}

export function ratePlanView(plan: RatePlanRecord) {
  return {
    id: plan.planId,
    name: plan.name,
    currency: plan.currency,
    latest_version: plan.latestVersion,
    created_at: plan.createdAt,
    versions: plan.versions.map((version) => ({
      version: version.version,
      effective_from: version.effectiveFrom,
      rates: version.rates.map((rate) => rateView(rate, plan.currency)),
    })),
  };
}
