import type { Kysely } from 'kysely';
import { addColumnIfMissing } from '../add-column.ts';

/** Tables of the calls read model. Column names are snake_case; rows.ts maps them to CallRow. */
export async function migrateCallsReadModel(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calls')
    .ifNotExists()
    .addColumn('call_id', 'uuid', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('to_number', 'text', (c) => c.notNull())
    .addColumn('from_number', 'text')
    .addColumn('audio_id', 'text')
    .addColumn('record', 'boolean', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('dialing_at', 'timestamptz')
    .addColumn('ringing_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('billable_ms', 'bigint')
    .addColumn('cause', 'integer')
    .addColumn('cause_text', 'text')
    .addColumn('reason', 'text')
    .addColumn('retryable', 'boolean')
    .addColumn('last_revision', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('live'))
    .execute();
  // Built with the schema builder (not raw sql) so a `db.withSchema(…)` replay creates them beside its tables.
  await db.schema.createIndex('calls_tenant_newest').ifNotExists().on('calls')
    .columns(['tenant_id', 'requested_at desc', 'call_id desc']).execute();
  await db.schema.createIndex('calls_tenant_status_newest').ifNotExists().on('calls')
    .columns(['tenant_id', 'status', 'requested_at desc', 'call_id desc']).execute();
  // An index, not a new shape (no version bump, no rebuild): the console filters the list by campaign (a date range rides calls_tenant_newest; a number
  // substring cannot use a b-tree and scans the tenant's rows in that index's order).
  await db.schema.createIndex('calls_tenant_campaign_newest').ifNotExists().on('calls')
    .columns(['tenant_id', 'campaign_id', 'requested_at desc', 'call_id desc']).execute();

  // v2: live or test, from CallRequested.mode (test-mode calls never reach a real trunk). Tables made by v1 get it here.
  await addColumnIfMissing(db, 'calls', 'mode', 'text', (c) => c.notNull().defaultTo('live'));

  await db.schema
    .createTable('call_timeline')
    .ifNotExists()
    .addColumn('event_id', 'uuid', (c) => c.primaryKey())
    .addColumn('call_id', 'uuid', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('causation_id', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('call_timeline_call_revision', ['call_id', 'revision'])
    .execute();
}
