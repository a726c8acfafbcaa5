import { sql, type Generated, type Kysely } from 'kysely';
import { migrateToLatest, type MigrationList } from '../db/migrations.ts';

/** Column shapes as the drivers return them: int8 arrives as a string, jsonb already parsed. */
export type EventRow = {
  global_seq: Generated<string>;
  tx_id: Generated<string>;
  stream_name: string;
  stream_revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  tenant_id: string;
  correlation_id: string;
  /** Hash chain (hash-chain.ts); null only on rows written before 0002 until they are backfilled. */
  hash: string | null;
  prev_hash: string | null;
};

export type EventStoreTables = {
  es_events: EventRow;
  es_streams: { stream_name: string; revision: string; last_hash: string | null };
};

export const EVENT_STORE_MIGRATION_TABLE = 'es_migrations';

/**
 * `tx_id` + `global_seq` make up the GlobalPosition (see postgres-event-store.ts for why).
 * data and metadata are kept whole so a later hash chain can be computed over canonical JSON
 * of exactly what was appended.
 */
const migrations: MigrationList = {
  '0001_create_event_store': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('es_streams')
        .addColumn('stream_name', 'text', (column) => column.primaryKey())
        .addColumn('revision', 'bigint', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('es_events')
        .addColumn('global_seq', 'bigserial', (column) => column.primaryKey())
        .addColumn('tx_id', 'bigint', (column) =>
          column.notNull().defaultTo(sql`(pg_current_xact_id()::text::bigint)`),
        )
        .addColumn('stream_name', 'text', (column) => column.notNull())
        .addColumn('stream_revision', 'bigint', (column) => column.notNull())
        .addColumn('event_id', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('schema_version', 'integer', (column) => column.notNull())
        .addColumn('data', 'jsonb', (column) => column.notNull())
        .addColumn('metadata', 'jsonb', (column) => column.notNull())
        .addColumn('tenant_id', 'text', (column) => column.notNull())
        .addColumn('correlation_id', 'text', (column) => column.notNull())
        .addColumn('recorded_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('es_events_stream_revision_key', ['stream_name', 'stream_revision'])
        .addUniqueConstraint('es_events_stream_event_id_key', ['stream_name', 'event_id'])
        .execute();

      await db.schema.createIndex('es_events_global_order').on('es_events').columns(['tx_id', 'global_seq']).execute();
      await db.schema.createIndex('es_events_tenant').on('es_events').column('tenant_id').execute();
      await db.schema.createIndex('es_events_correlation').on('es_events').column('correlation_id').execute();
    },
  },
  '0002_hash_chain': {
    // Nullable so the migration is instant on a big log; backfillHashChain fills older rows.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('es_events').addColumn('hash', 'text').execute();
      await db.schema.alterTable('es_events').addColumn('prev_hash', 'text').execute();
      await db.schema.alterTable('es_streams').addColumn('last_hash', 'text').execute();
      // Empty once backfilled, so the startup check for unhashed rows costs nothing on a big log.
      await db.schema.createIndex('es_events_unhashed').on('es_events').column('stream_name').where(sql.ref('hash'), 'is', null).execute();
    },
  },
};

export function migrateEventStore(db: Kysely<any>): Promise<void> {
  return migrateToLatest(db, { migrations, tableName: EVENT_STORE_MIGRATION_TABLE });
}
