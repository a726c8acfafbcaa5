import { sql, type Kysely } from 'kysely';
import type { RateEntry } from '../../domain/billing/rating.ts';

/** What the HTTP layer reads about money. Every account-scoped query takes the tenant. */

export type BalanceRecord = {
  accountId: string;
  currency: string;
  balanceMinor: number;
  reservedMinor: number;
  openReservations: number;
  depositedMinor: number;
  chargedMinor: number;
  adjustedMinor: number;
  callsCharged: number;
  lowBalanceThresholdMinor: number | null;
  lowBalanceReachedAt: string | null;
  updatedAt: string;
};

export type ChargeRecord = {
  callId: string;
  accountId: string;
  eventId: string;
  currency: string;
  amountMinor: number;
  destination: string;
  planId: string;
  planVersion: number;
  rateId: string;
  prefix: string;
  billableMs: number;
  billedSeconds: number;
  outcome: string;
  chargedAt: string;
  applied: { planId: string; planVersion: number; rate: RateEntry };
  computation: Record<string, unknown> & { billedSeconds: number; durationChargeMinor: number; connectionFeeMinor: number };
  evidence: Record<string, unknown>;
};

export type RatePlanRecord = {
  planId: string;
  name: string;
  currency: string;
  latestVersion: number;
  createdAt: string;
  versions: Array<{ version: number; effectiveFrom: string; rates: RateEntry[] }>;
};

/** One UTC day's charges. Days without any are absent; the caller fills them in. */
export type DailyUsageRow = { date: string; calls: number; amountMinor: number; billedSeconds: number };

export type UsageQuery = { from: string | null; to: string | null; page: number; perPage: number };

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function chargeFromColumns(c: Record<string, any>): ChargeRecord {
  return {
    callId: c.call_id,
    accountId: c.account_id,
    eventId: c.event_id,
    currency: c.currency,
    amountMinor: Number(c.amount_minor),
    destination: c.destination,
    planId: c.plan_id,
    planVersion: Number(c.plan_version),
    rateId: c.rate_id,
    prefix: c.prefix,
    billableMs: Number(c.billable_ms),
    billedSeconds: Number(c.billed_seconds),
    outcome: c.outcome,
    chargedAt: iso(c.charged_at),
    applied: json(c.applied),
    computation: json(c.computation),
    evidence: json(c.evidence),
  };
}

export class BillingQueries {
  constructor(private readonly db: Kysely<any>) {}

  async balance(accountId: string): Promise<BalanceRecord | null> {
    const c = await this.db.selectFrom('billing_balances').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!c) return null;
    return {
      accountId: c.account_id,
      currency: c.currency,
      balanceMinor: Number(c.balance_minor),
      reservedMinor: Number(c.reserved_minor),
      openReservations: Number(c.open_reservations),
      depositedMinor: Number(c.deposited_minor),
      chargedMinor: Number(c.charged_minor),
      adjustedMinor: Number(c.adjusted_minor),
      callsCharged: Number(c.calls_charged),
      lowBalanceThresholdMinor: c.low_balance_threshold_minor === null ? null : Number(c.low_balance_threshold_minor),
      lowBalanceReachedAt: c.low_balance_reached_at === null ? null : iso(c.low_balance_reached_at),
      updatedAt: iso(c.updated_at),
    };
  }

  async charge(accountId: string, callId: string): Promise<ChargeRecord | null> {
    const c = await this.db
      .selectFrom('billing_charges')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('call_id', '=', callId)
      .executeTakeFirst();
    return c ? chargeFromColumns(c) : null;
  }

  /** Charges newest first within [from, to), with totals over the whole range. */
  async usage(accountId: string, query: UsageQuery): Promise<{ rows: ChargeRecord[]; total: number; totals: { amountMinor: number; billedSeconds: number; billableMs: number } }> {
    let base = this.db.selectFrom('billing_charges').where('account_id', '=', accountId);
    if (query.from) base = base.where('charged_at', '>=', query.from);
    if (query.to) base = base.where('charged_at', '<', query.to);
    const [rows, sums] = await Promise.all([
      base
        .selectAll()
        .orderBy('charged_at', 'desc')
        .orderBy('call_id', 'desc')
        .limit(query.perPage)
        .offset((query.page - 1) * query.perPage)
        .execute(),
      base
        .select((eb) => [
          eb.fn.countAll<string>().as('total'),
          eb.fn.coalesce(eb.fn.sum<string>('amount_minor'), eb.lit(0)).as('amount'),
          eb.fn.coalesce(eb.fn.sum<string>('billed_seconds'), eb.lit(0)).as('billed'),
          eb.fn.coalesce(eb.fn.sum<string>('billable_ms'), eb.lit(0)).as('ms'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map(chargeFromColumns),
      total: Number(sums.total),
      totals: { amountMinor: Number(sums.amount), billedSeconds: Number(sums.billed), billableMs: Number(sums.ms) },
    };
  }

  /** Charges per UTC day of `charged_at` within [from, to), oldest day first. */
  async dailyUsage(accountId: string, from: string, to: string): Promise<DailyUsageRow[]> {
    const day = sql<string>`to_char(charged_at at time zone 'UTC', 'YYYY-MM-DD')`;
    const rows = await this.db
      .selectFrom('billing_charges')
      .where('account_id', '=', accountId)
      .where('charged_at', '>=', from)
      .where('charged_at', '<', to)
      .select((eb) => [
        day.as('date'),
        eb.fn.countAll<string>().as('calls'),
        eb.fn.sum<string>('amount_minor').as('amount'),
        eb.fn.sum<string>('billed_seconds').as('billed'),
      ])
      .groupBy(day)
      .orderBy(day)
      .execute();
    return rows.map((row) => ({ date: String(row.date), calls: Number(row.calls), amountMinor: Number(row.amount), billedSeconds: Number(row.billed) }));
  }

  async ratePlan(planId: string): Promise<RatePlanRecord | null> {
    const plan = await this.db.selectFrom('billing_rate_plans').selectAll().where('plan_id', '=', planId).executeTakeFirst();
    if (!plan) return null;
    const versions = await this.db.selectFrom('billing_rate_plan_versions').selectAll().where('plan_id', '=', planId).orderBy('version').execute();
    return {
      planId: plan.plan_id,
      name: plan.name,
      currency: plan.currency,
      latestVersion: Number(plan.latest_version),
      createdAt: iso(plan.created_at),
      versions: versions.map((v) => ({ version: Number(v.version), effectiveFrom: iso(v.effective_from), rates: json<RateEntry[]>(v.rates) })),
    };
  }

  async ratePlans(): Promise<Array<Omit<RatePlanRecord, 'versions'>>> {
    const rows = await this.db.selectFrom('billing_rate_plans').selectAll().orderBy('created_at').orderBy('plan_id').execute();
    return rows.map((plan) => ({
      planId: plan.plan_id,
      name: plan.name,
      currency: plan.currency,
      latestVersion: Number(plan.latest_version),
      createdAt: iso(plan.created_at),
    }));
  }

  /** The plan in force for the account at `at`, with the version in force then. */
  async planAt(accountId: string, at: string): Promise<{ plan: RatePlanRecord; version: RatePlanRecord['versions'][number]; effectiveFrom: string } | null> {
    const assignment = await this.db
      .selectFrom('billing_plan_assignments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('effective_from', '<=', at)
      .orderBy('revision', 'desc')
      .executeTakeFirst();
    if (!assignment) return null;
    const plan = await this.ratePlan(assignment.plan_id);
    if (!plan) return null;
    const when = Date.parse(at);
    const version = plan.versions.filter((v) => Date.parse(v.effectiveFrom) <= when).at(-1);
    return version ? { plan, version, effectiveFrom: iso(assignment.effective_from) } : null;
  }
}
