import { sql, type Kysely } from 'kysely';

/** Tables of the billing read models. Every time column holds an event's time, never the clock's. */
export async function migrateBillingReadModels(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('billing_balances')
    .ifNotExists()
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', 'bigint', (c) => c.notNull())
    .addColumn('reserved_minor', 'bigint', (c) => c.notNull())
    .addColumn('open_reservations', 'integer', (c) => c.notNull())
    .addColumn('deposited_minor', 'bigint', (c) => c.notNull())
    .addColumn('charged_minor', 'bigint', (c) => c.notNull())
    .addColumn('adjusted_minor', 'bigint', (c) => c.notNull())
    .addColumn('calls_charged', 'integer', (c) => c.notNull())
    .addColumn('low_balance_threshold_minor', 'bigint')
    .addColumn('low_balance_reached_at', 'timestamptz')
    .addColumn('last_revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('billing_charges')
    .ifNotExists()
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    .addColumn('rate_id', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('billable_ms', 'bigint', (c) => c.notNull())
    .addColumn('billed_seconds', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('charged_at', 'timestamptz', (c) => c.notNull())
    .addColumn('applied', 'jsonb', (c) => c.notNull())
    .addColumn('computation', 'jsonb', (c) => c.notNull())
    .addColumn('evidence', 'jsonb', (c) => c.notNull())
    .execute();
  await sql`create index if not exists billing_charges_account_time on billing_charges (account_id, charged_at desc, call_id desc)`.execute(db);

  await db.schema
    .createTable('billing_rate_plans')
    .ifNotExists()
    .addColumn('plan_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('billing_rate_plan_versions')
    .ifNotExists()
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('effective_from', 'timestamptz', (c) => c.notNull())
    .addColumn('rates', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_rate_plan_versions_pk', ['plan_id', 'version'])
    .execute();

  await db.schema
    .createTable('billing_plan_assignments')
    .ifNotExists()
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'timestamptz', (c) => c.notNull())
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('billing_plan_assignments_pk', ['account_id', 'revision'])
    .execute();
}

export const BILLING_TABLES = [
  'billing_balances',
  'billing_charges',
  'billing_rate_plans',
  'billing_rate_plan_versions',
  'billing_plan_assignments',
] as const;
