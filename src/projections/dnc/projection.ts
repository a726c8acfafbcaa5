import type { Kysely, Transaction } from 'kysely';
import { isDncEventType, type DncEvent } from '../../domain/dnc/events.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf, operatorDncStream } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';

/**
 * `dnc_entries`: the numbers on each do-not-call list now, one row per (number, list). The
 * primary key starts with the phone, so "is this number listed for tenant T" is one index probe
 * for T's row and the operator's. `list_key` is the tenant id, or '' for the operator's list
 * (tenant_id is then null). `dnc_lists` keeps the last revision applied per list stream, so an
 * event already applied is skipped and a replay changes nothing; a removed entry's row goes.
 */

const LISTS = 'dnc_lists';
export const DNC_ENTRIES = 'dnc_entries';
export const OPERATOR_LIST_KEY = '';

/** Postgres allows 65535 parameters a statement; 8 a row leaves room for 8000 rows. */
const ROWS_PER_INSERT = 4000;

export const dncProjection: Projection = {
  name: 'dnc',
  version: 1,

  async migrate(db: Kysely<any>) {
    await db.schema
      .createTable(LISTS)
      .ifNotExists()
      .addColumn('stream_name', 'text', (c) => c.primaryKey())
      .addColumn('last_revision', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable(DNC_ENTRIES)
      .ifNotExists()
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('list_key', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('tenant_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text')
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('dnc_entries_pk', ['phone', 'list_key'])
      .execute();
    await db.schema.createIndex('dnc_entries_list_newest').ifNotExists().on(DNC_ENTRIES).columns(['list_key', 'added_at desc', 'phone']).execute();
  },

  async reset(trx: Transaction<any>) {
    for (const table of [DNC_ENTRIES, LISTS]) await trx.deleteFrom(table).execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'dnc' && isDncEventType(event.type),

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    const applied = new Map<string, bigint>();
    for (const event of events) {
      const stream = event.streamName;
      if (!applied.has(stream)) {
        const row = await trx.selectFrom(LISTS).select('last_revision').where('stream_name', '=', stream).executeTakeFirst();
        applied.set(stream, row ? BigInt(row.last_revision) : -1n);
      }
      if (event.streamRevision <= applied.get(stream)!) continue;
      await applyOne(trx, listOf(stream), event as unknown as DncEvent);
      applied.set(stream, event.streamRevision);
    }
    for (const [stream, revision] of applied) {
      await trx
        .insertInto(LISTS)
        .values({ stream_name: stream, last_revision: revision.toString() })
        .onConflict((oc) => oc.column('stream_name').doUpdateSet({ last_revision: revision.toString() }))
        .execute();
    }
  },
};

type ListOf = { listKey: string; tenantId: string | null };

function listOf(stream: string): ListOf {
  if (stream === operatorDncStream()) return { listKey: OPERATOR_LIST_KEY, tenantId: null };
  const tenantId = idOf(stream);
  return { listKey: tenantId, tenantId };
}

async function applyOne(trx: Transaction<any>, list: ListOf, event: DncEvent): Promise<void> {
  const base = { list_key: list.listKey, tenant_id: list.tenantId, scope: list.tenantId === null ? 'operator' : 'tenant' };
  switch (event.type) {
    case 'DncEntryAdded': {
      const { phone, reason, source, callId, addedAt } = event.data;
      await trx
        .insertInto(DNC_ENTRIES)
        .values({ ...base, phone, reason, source, call_id: callId, added_at: addedAt })
        .onConflict((oc) => oc.columns(['phone', 'list_key']).doNothing())
        .execute();
      return;
    }
    case 'DncEntriesImported': {
      const { entries, importedAt } = event.data;
      for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
        const values = entries
          .slice(start, start + ROWS_PER_INSERT)
          .map((entry) => ({ ...base, phone: entry.phone, reason: entry.reason, source: 'import', call_id: null, added_at: importedAt }));
        await trx.insertInto(DNC_ENTRIES).values(values).onConflict((oc) => oc.columns(['phone', 'list_key']).doNothing()).execute();
      }
      return;
    }
    case 'DncEntryRemoved':
      await trx.deleteFrom(DNC_ENTRIES).where('phone', '=', event.data.phone).where('list_key', '=', list.listKey).execute();
      return;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}
