import type { Kysely } from 'kysely';

/**
 * The webhook outbox's tables. They are the outbox's own state, written in the transaction of its
 * checkpoint, not a read model: `calltrail replay` never rebuilds them, since a rebuild would
 * send every event again.
 * - `webhook_endpoints`: each endpoint as its stream says (url, types, sealed secrets), plus what
 *   delivery keeps per endpoint: the next `sequence`, failures in a row, and the lease that lets
 *   one worker at a time send to it, so its deliveries leave in order.
 * - `webhook_deliveries`: one row per event to send to one endpoint (or to a call's callback
 *   URL), with its exact body. `queue_no` orders an endpoint's queue.
 * - `webhook_attempts`: every attempt and its result.
 */
export const ENDPOINTS = 'webhook_endpoints';
export const DELIVERIES = 'webhook_deliveries';
export const ATTEMPTS = 'webhook_attempts';

export async function migrateWebhookTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(ENDPOINTS)
    .ifNotExists()
    .addColumn('endpoint_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // 'endpoint' (managed by API) or 'call' (a call's status_callback_url).
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('endpoint'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull())
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_message', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('secret_rotated_at', 'timestamptz')
    .addColumn('next_sequence', 'bigint', (c) => c.notNull().defaultTo(1))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_revision', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_tenant').ifNotExists().on(ENDPOINTS).columns(['tenant_id', 'created_at']).execute();
  await db.schema
    .createTable(DELIVERIES)
    .ifNotExists()
    .addColumn('delivery_id', 'text', (c) => c.primaryKey())
    .addColumn('queue_no', 'bigserial', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // 'log' (the outbox), 'redeliver' or 'replay'.
    .addColumn('origin', 'text', (c) => c.notNull())
    // 'pending', 'delivered' or 'failed' (gave up, or the endpoint is gone).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('first_attempt_at', 'timestamptz')
    .addColumn('enqueued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_latency_ms', 'integer')
    .addColumn('event_created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_queue').ifNotExists().on(DELIVERIES).columns(['endpoint_id', 'status', 'queue_no']).execute();
  await db.schema.createIndex('webhook_deliveries_due').ifNotExists().on(DELIVERIES).columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_event').ifNotExists().on(DELIVERIES).columns(['endpoint_id', 'event_id']).execute();
  await db.schema
    .createTable(ATTEMPTS)
    .ifNotExists()
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    // The start of the receiver's answer (WEBHOOK_MAX_RESPONSE_BYTES at most).
    .addColumn('response_excerpt', 'text')
    .addColumn('next_retry_at', 'timestamptz')
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
    .execute();
}

/** A stored secret: sealed, and when it stops signing (null: the current one). */
export type StoredSecret = { sealed: string; validUntil: string | null };
