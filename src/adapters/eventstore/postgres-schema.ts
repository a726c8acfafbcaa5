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
  '0003_append_function': {
    async up(db: Kysely<any>) {
      await sql.raw(APPEND_FUNCTION).execute(db);
      await sql.raw(WAKE_FUNCTION).execute(db);
    },
  },
  '0004_drop_unread_indexes': {
    // Nothing reads the log by tenant or by correlation id (read models answer those questions), and
    // each index cost every appended event a random B-tree insert. The columns stay, unindexed.
    async up(db: Kysely<any>) {
      await db.schema.dropIndex('es_events_tenant').ifExists().execute();
      await db.schema.dropIndex('es_events_correlation').ifExists().execute();
    },
  },
};

/** SQLSTATE es_append raises when the stream is not where the caller expected; DETAIL holds the actual revision. */
export const WRONG_EXPECTED_REVISION_STATE = 'CTREV';

/**
 * The whole append as one statement, so it costs one round trip and its inner statements are
 * planned once per connection (PL/pgSQL caches them). Run as its own statement it is its own
 * transaction; it may also run inside a caller's transaction.
 *
 * The steps, in order, under READ COMMITTED (each inner statement sees what committed before it):
 *  1. Lock the stream's row (SELECT … FOR UPDATE): writers of one stream queue here, so the
 *     revision check and the hash link below see the latest committed head. A stream without a row
 *     is new: its row is inserted once, at its new head, after the links are computed; a writer
 *     that loses that insert to a rival looks again and queues behind it.
 *  2. A retry: when the stream exists and the caller's revision is not exactly its head, look for the
 *     batch's eventIds. All of them stored, in order, one after another: answer with the original
 *     result. Some of them: a conflict. (An exact match is never a retry and skips the lookup.)
 *  3. The expected revision.
 *  4. The hash chain from es_streams.last_hash (the head row's hash for streams from before 0002):
 *     hash = sha256_hex(prev || '\n' || '{"data":' || data || ',"metadata":' || metadata ||
 *     ',"revision":"' || revision || tail), from the canonical JSON the client built (hash-chain.ts
 *     canonicalParts: data, metadata, and the tail naming stream and type), so the hashes are byte
 *     for byte what eventHash computes, and the event's JSON crosses the wire once.
 *  5. One INSERT of every row in append order (global_seq is taken in that order), tx_id from the
 *     column default; then the stream row moves forward. p_notify queues a NOTIFY for commit, for
 *     callers appending inside their own transaction; the store itself notifies afterwards
 *     (postgres-wake.ts says why).
 * A conflict raises (never returns), so nothing of the statement is left behind.
 */
const APPEND_FUNCTION = `
create or replace function es_append(
  p_stream text, p_expected text,
  p_event_ids text[], p_types text[], p_schema_versions integer[], p_data text[], p_metadata text[],
  p_tenant_ids text[], p_correlation_ids text[], p_hash_tails text[],
  p_notify text
) returns table (next_revision bigint, position_commit bigint, position_prepare bigint)
language plpgsql as $fn$
declare
  v_count integer := cardinality(p_event_ids);
  v_exact bigint := case when p_expected in ('any', 'no_stream', 'stream_exists') then null else p_expected::bigint end;
  v_new boolean;
  v_actual bigint;
  v_hash text;
  v_hashes text[];
  v_prevs text[];
  v_found integer;
  v_ok boolean;
  v_first bigint;
  v_stored record;
begin
  loop
    select s.revision, s.last_hash into v_actual, v_hash from es_streams s where s.stream_name = p_stream for update;
    v_new := not found;
    if v_new then
      if p_expected not in ('no_stream', 'any') then
        raise exception 'wrong expected revision' using errcode = '${WRONG_EXPECTED_REVISION_STATE}', detail = '-1';
      end if;
      v_actual := -1;
    else
      if v_actual >= 0 and v_exact is distinct from v_actual then
        v_found := 0;
        v_ok := true;
        for v_stored in
          select e.event_id, e.stream_revision, e.tx_id, e.global_seq from es_events e
          where e.stream_name = p_stream and e.event_id = any(p_event_ids) order by e.stream_revision
        loop
          v_found := v_found + 1;
          if v_found = 1 then v_first := v_stored.stream_revision; end if;
          if v_stored.event_id <> p_event_ids[v_found] or v_stored.stream_revision <> v_first + v_found - 1 then
            v_ok := false;
          end if;
          next_revision := v_stored.stream_revision;
          position_commit := v_stored.tx_id;
          position_prepare := v_stored.global_seq;
        end loop;
        if v_found > 0 then
          if v_found <> v_count or not v_ok then
            raise exception 'wrong expected revision' using errcode = '${WRONG_EXPECTED_REVISION_STATE}', detail = v_actual::text;
          end if;
          return next;
          return;
        end if;
      end if;
      -- Assigned first: an IF condition ends at its first THEN, which would be the CASE's.
      v_ok := case p_expected
          when 'any' then true
          when 'no_stream' then v_actual = -1
          when 'stream_exists' then v_actual >= 0
          else v_actual = v_exact end;
      if not v_ok then
        raise exception 'wrong expected revision' using errcode = '${WRONG_EXPECTED_REVISION_STATE}', detail = v_actual::text;
      end if;
    end if;

    if v_actual < 0 then
      v_hash := repeat('0', 64);
    elsif v_hash is null then
      select coalesce(max(e.hash), repeat('0', 64)) into v_hash from es_events e
      where e.stream_name = p_stream and e.stream_revision = v_actual;
    end if;
    v_hashes := '{}';
    v_prevs := '{}';
    for i in 1 .. v_count loop
      v_prevs[i] := v_hash;
      v_hash := encode(sha256(convert_to(
        v_hash || E'\\n' || '{"data":' || p_data[i] || ',"metadata":' || p_metadata[i] || ',"revision":"' || (v_actual + i)::text || p_hash_tails[i],
        'UTF8')), 'hex');
      v_hashes[i] := v_hash;
    end loop;

    exit when not v_new;
    -- A new stream's row is written once, already at its new head. Losing this insert means a
    -- rival created the stream after the look above (and committed): look again, and queue behind it.
    insert into es_streams (stream_name, revision, last_hash) values (p_stream, v_count - 1, v_hash)
      on conflict (stream_name) do nothing;
    exit when found;
  end loop;

  with inserted as (
    insert into es_events (stream_name, stream_revision, event_id, type, schema_version, data, metadata,
                           tenant_id, correlation_id, hash, prev_hash)
    select p_stream, v_actual + b.n, b.event_id, b.type, b.schema_version, b.data::jsonb, b.metadata::jsonb,
           b.tenant_id, b.correlation_id, v_hashes[b.n], v_prevs[b.n]
    from unnest(p_event_ids, p_types, p_schema_versions, p_data, p_metadata, p_tenant_ids, p_correlation_ids)
         with ordinality as b(event_id, type, schema_version, data, metadata, tenant_id, correlation_id, n)
    order by b.n
    returning es_events.tx_id, es_events.global_seq
  )
  select max(inserted.tx_id), max(inserted.global_seq) into position_commit, position_prepare from inserted;

  if not v_new then
    update es_streams set revision = v_actual + v_count, last_hash = v_hash where stream_name = p_stream;
  end if;
  if p_notify is not null then
    perform pg_notify(p_notify, '');
  end if;
  next_revision := v_actual + v_count;
  return next;
end
$fn$`;

/**
 * The store's NOTIFY, as its own transaction after an append (postgres-wake.ts). It skips the
 * commit's wait for the WAL flush: it writes nothing worth keeping, and a wake-up lost in a crash
 * only delays subscribers until their next poll.
 */
const WAKE_FUNCTION = `
create or replace function es_wake(p_channel text) returns void
language plpgsql as $fn$
begin
  perform set_config('synchronous_commit', 'off', true);
  perform pg_notify(p_channel, '');
end
$fn$`;

export function migrateEventStore(db: Kysely<any>): Promise<void> {
  return migrateToLatest(db, { migrations, tableName: EVENT_STORE_MIGRATION_TABLE });
}
