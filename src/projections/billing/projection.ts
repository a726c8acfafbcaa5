import { sql, type Kysely, type Transaction } from 'kysely';
import { ledgerEffect } from '../../domain/billing/wallet-events.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';
import { BILLING_TABLES, migrateBillingReadModels } from './schema.ts';

type Data = Record<string, any>;

type BalanceRow = {
  account_id: string;
  currency: string;
  balance_minor: number;
  reserved_minor: number;
  open_reservations: number;
  deposited_minor: number;
  charged_minor: number;
  adjusted_minor: number;
  calls_charged: number;
  low_balance_threshold_minor: number | null;
  low_balance_reached_at: string | null;
  last_revision: number;
  updated_at: string;
};

const BALANCE_COLUMNS = [
  'currency', 'balance_minor', 'reserved_minor', 'open_reservations', 'deposited_minor', 'charged_minor', 'adjusted_minor',
  'calls_charged', 'low_balance_threshold_minor', 'low_balance_reached_at', 'last_revision', 'updated_at',
] as const;

const num = (value: unknown): number => Number(value);
const iso = (value: unknown): string => new Date(value as string | Date).toISOString();

function balanceFromColumns(c: Record<string, any>): BalanceRow {
  return {
    account_id: c.account_id,
    currency: c.currency,
    balance_minor: num(c.balance_minor),
    reserved_minor: num(c.reserved_minor),
    open_reservations: num(c.open_reservations),
    deposited_minor: num(c.deposited_minor),
    charged_minor: num(c.charged_minor),
    adjusted_minor: num(c.adjusted_minor),
    calls_charged: num(c.calls_charged),
    low_balance_threshold_minor: c.low_balance_threshold_minor === null ? null : num(c.low_balance_threshold_minor),
    low_balance_reached_at: c.low_balance_reached_at === null ? null : iso(c.low_balance_reached_at),
    last_revision: num(c.last_revision),
    updated_at: iso(c.updated_at),
  };
}

function emptyBalance(accountId: string, currency: string, at: string): BalanceRow {
  return {
    account_id: accountId,
    currency,
    balance_minor: 0,
    reserved_minor: 0,
    open_reservations: 0,
    deposited_minor: 0,
    charged_minor: 0,
    adjusted_minor: 0,
    calls_charged: 0,
    low_balance_threshold_minor: null,
    low_balance_reached_at: null,
    last_revision: -1,
    updated_at: at,
  };
}

/** Folds one wallet event into its balance row; events at or below the row's revision change nothing. */
export function foldBalance(row: BalanceRow | null, event: RecordedEvent): BalanceRow {
  const data = event.data as Data;
  const revision = Number(event.streamRevision);
  const currency = data.amount?.currency ?? data.threshold?.currency ?? data.currency ?? row?.currency ?? 'XXX';
  const before = row ?? emptyBalance(idOf(event.streamName), currency, event.metadata.occurredAt);
  if (revision <= before.last_revision) return before;
  const effect = ledgerEffect(event);
  const next: BalanceRow = {
    ...before,
    balance_minor: before.balance_minor + effect.balance,
    reserved_minor: before.reserved_minor + effect.reserved,
    last_revision: revision,
    updated_at: event.metadata.occurredAt,
  };
  const amount = num(data.amount?.amountMinor ?? 0);
  switch (event.type) {
    case 'FundsDeposited':
      next.deposited_minor += amount;
      break;
    case 'CreditAdjusted':
      next.adjusted_minor += amount;
      break;
    case 'CallCharged':
      next.charged_minor += amount;
      next.calls_charged += 1;
      break;
    case 'FundsReserved':
      next.open_reservations += 1;
      break;
    case 'ReservationReleased':
      next.open_reservations -= 1;
      break;
    case 'LowBalanceReached':
      next.low_balance_reached_at = data.at;
      break;
    case 'LowBalanceThresholdSet':
      next.low_balance_threshold_minor = data.threshold === null ? null : num(data.threshold.amountMinor);
      next.low_balance_reached_at = null;
      break;
  }
  return next;
}

/**
 * Balances, charges, rate plans and plan assignments, from the wallet and rate plan streams.
 * Balances fold in memory per batch and are upserted once, guarded by the wallet's stream revision,
 * so replaying a batch never counts a movement twice; everything else is insert-once by key.
 */
export const billingProjection: Projection = {
  name: 'billing',
  version: 1,

  migrate: (db: Kysely<any>) => migrateBillingReadModels(db),

  async reset(trx: Transaction<any>) {
    for (const table of BILLING_TABLES) await trx.deleteFrom(table).execute();
  },

  accepts: (event: RecordedEvent) => {
    const category = categoryOf(event.streamName);
    return category === 'wallet' || category === 'rateplan';
  },

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    const wallets = events.filter((event) => categoryOf(event.streamName) === 'wallet');
    const accountIds = [...new Set(wallets.map((event) => idOf(event.streamName)))];
    const balances = new Map<string, BalanceRow>();
    if (accountIds.length > 0) {
      const existing = await trx.selectFrom('billing_balances').selectAll().where('account_id', 'in', accountIds).execute();
      for (const row of existing) balances.set(row.account_id, balanceFromColumns(row));
    }
    const changed = new Set<string>();
    const charges: Record<string, unknown>[] = [];
    const assignments: Record<string, unknown>[] = [];

    for (const event of events) {
      const data = event.data as Data;
      if (categoryOf(event.streamName) === 'rateplan') {
        await applyRatePlanEvent(trx, event, data);
        continue;
      }
      const accountId = idOf(event.streamName);
      const before = balances.get(accountId) ?? null;
      const after = foldBalance(before, event);
      if (after === before) continue;
      balances.set(accountId, after);
      changed.add(accountId);
      if (event.type === 'CallCharged') charges.push(chargeColumns(event, data, accountId));
      if (event.type === 'RatePlanAssigned') {
        assignments.push({
          account_id: accountId,
          revision: Number(event.streamRevision),
          plan_id: data.planId,
          effective_from: data.effectiveFrom,
          assigned_at: data.at,
        });
      }
    }

    if (changed.size > 0) {
      await trx
        .insertInto('billing_balances')
        .values([...changed].map((id) => balances.get(id)!))
        .onConflict((oc) =>
          oc
            .column('account_id')
            .doUpdateSet((eb) => Object.fromEntries(BALANCE_COLUMNS.map((col) => [col, eb.ref(`excluded.${col}`)])))
            .where('billing_balances.last_revision', '<', sql.ref('excluded.last_revision')),
        )
        .execute();
    }
    if (charges.length > 0) await trx.insertInto('billing_charges').values(charges).onConflict((oc) => oc.column('call_id').doNothing()).execute();
    if (assignments.length > 0) {
      await trx.insertInto('billing_plan_assignments').values(assignments).onConflict((oc) => oc.columns(['account_id', 'revision']).doNothing()).execute();
    }
  },
};

function chargeColumns(event: RecordedEvent, data: Data, accountId: string): Record<string, unknown> {
  return {
    call_id: data.callId,
    account_id: accountId,
    event_id: event.metadata.eventId,
    currency: data.amount.currency,
    amount_minor: data.amount.amountMinor,
    destination: data.destination,
    plan_id: data.applied.planId,
    plan_version: data.applied.planVersion,
    rate_id: data.applied.rate.rateId,
    prefix: data.applied.rate.prefix,
    billable_ms: data.computation.billableMs,
    billed_seconds: data.computation.billedSeconds,
    outcome: data.evidence.outcome,
    charged_at: data.chargedAt,
    applied: JSON.stringify(data.applied),
    computation: JSON.stringify(data.computation),
    evidence: JSON.stringify(data.evidence),
  };
}

async function applyRatePlanEvent(trx: Transaction<any>, event: RecordedEvent, data: Data): Promise<void> {
  if (event.type === 'RatePlanCreated') {
    await trx
      .insertInto('billing_rate_plans')
      .values({ plan_id: data.planId, name: data.name, currency: data.currency, latest_version: 1, created_at: data.createdAt })
      .onConflict((oc) => oc.column('plan_id').doNothing())
      .execute();
  } else if (event.type !== 'RatePlanRevised') {
    return;
  } else {
    await trx
      .updateTable('billing_rate_plans')
      .set({ latest_version: sql`greatest(latest_version, ${data.version})` })
      .where('plan_id', '=', data.planId)
      .execute();
  }
  await trx
    .insertInto('billing_rate_plan_versions')
    .values({
      plan_id: data.planId,
      version: data.version,
      effective_from: data.effectiveFrom,
      rates: JSON.stringify(data.rates),
      recorded_at: data.createdAt ?? data.revisedAt,
    })
    .onConflict((oc) => oc.columns(['plan_id', 'version']).doNothing())
    .execute();
}
