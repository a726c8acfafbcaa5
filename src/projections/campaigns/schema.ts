import type { Kysely } from 'kysely';

export const CAMPAIGNS = 'campaigns';
export const CAMPAIGN_CONTACTS = 'campaign_contacts';

/**
 * One row per campaign, with the counters its statistics need without reading its attempts, and
 * one row per contact entered in it (enrolled or skipped). `last_revision` is the campaign
 * stream's revision last applied: every event of a campaign is on its one stream, so it guards
 * the contact rows too.
 */
export async function migrateCampaignsReadModel(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(CAMPAIGNS)
    .ifNotExists()
    .addColumn('campaign_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pause_reason', 'text')
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('scheduled_for', 'timestamptz')
    .addColumn('started_at', 'timestamptz')
    .addColumn('paused_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('enrollment_closed', 'boolean', (c) => c.notNull())
    .addColumn('next_chunk', 'integer', (c) => c.notNull())
    .addColumn('contact_count', 'integer', (c) => c.notNull())
    .addColumn('duplicate_entries', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('ended_attempts', 'integer', (c) => c.notNull())
    .addColumn('answered_attempts', 'integer', (c) => c.notNull())
    .addColumn('answered_billable_seconds', 'bigint', (c) => c.notNull())
    .addColumn('attempt_ms', 'bigint', (c) => c.notNull())
    .addColumn('spent_minor', 'bigint', (c) => c.notNull())
    /** Null until the first charge; then that charge's currency. */
    .addColumn('currency', 'text')
    .addColumn('in_flight', 'integer', (c) => c.notNull())
    .addColumn('last_revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_tenant_newest').ifNotExists().on(CAMPAIGNS).columns(['tenant_id', 'created_at desc', 'campaign_id']).execute();
  await db.schema.createIndex('campaigns_status').ifNotExists().on(CAMPAIGNS).columns(['status']).execute();
  await db.schema
    .createTable(CAMPAIGN_CONTACTS)
    .ifNotExists()
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    /** Enrollment order, from 0: the order contacts are dialled and listed in. */
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('skip_reason', 'text')
    .addColumn('outcome', 'text')
    .addColumn('retry_at', 'timestamptz')
    .addColumn('attempts', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_contacts_pk', ['campaign_id', 'contact_id'])
    .execute();
  await db.schema.createIndex('campaign_contacts_order').ifNotExists().on(CAMPAIGN_CONTACTS).columns(['campaign_id', 'ordinal']).execute();
  await db.schema.createIndex('campaign_contacts_bucket').ifNotExists().on(CAMPAIGN_CONTACTS).columns(['campaign_id', 'bucket', 'ordinal']).execute();
  await db.schema.createIndex('campaign_contacts_tenant').ifNotExists().on(CAMPAIGN_CONTACTS).columns(['tenant_id', 'campaign_id']).execute();
}
