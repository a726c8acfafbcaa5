import type { Kysely, Transaction } from 'kysely';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import type { Projection } from '../projection.ts';
import { foldCallRow, timelineEntry } from './fold.ts';
import { callRowFromColumns, callRowToColumns, timelineToColumns } from './rows.ts';
import { migrateCallsReadModel } from './schema.ts';
import type { CallRow } from './types.ts';

const UPDATABLE = [
  'status', 'to_number', 'from_number', 'audio_id', 'record', 'campaign_id', 'requested_at', 'dialing_at',
  'ringing_at', 'answered_at', 'ended_at', 'billable_ms', 'cause', 'cause_text', 'reason', 'retryable',
  'last_revision', 'updated_at', 'mode',
] as const;

/**
 * `calls` and `call_timeline`. A batch is folded in memory per call and written with one
 * multi-row upsert per table, which is what makes a million-event replay affordable.
 */
export const callsProjection: Projection = {
  name: 'calls',
  // v2 added `mode` (live/test).
  version: 2,

  migrate: (db: Kysely<any>) => migrateCallsReadModel(db),

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom('call_timeline').execute();
    await trx.deleteFrom('calls').execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'call',

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    const callIds = [...new Set(events.map((event) => idOf(event.streamName)))];
    const existing = await trx.selectFrom('calls').selectAll().where('call_id', 'in', callIds).execute();
    const rows = new Map<string, CallRow | null>(existing.map((c) => [c.call_id, callRowFromColumns(c)]));
    const changed = new Set<string>();
    const timeline: Record<string, unknown>[] = [];

    for (const event of events) {
      const callId = idOf(event.streamName);
      const before = rows.get(callId) ?? null;
      const after = foldCallRow(before, event);
      if (!after || after === before) continue;
      rows.set(callId, after);
      changed.add(callId);
      timeline.push(timelineToColumns(timelineEntry(event), callId, after.tenantId));
    }
    if (changed.size === 0) return;

    const values = [...changed].map((id) => callRowToColumns(rows.get(id)!));
    for (const chunk of chunks(values, 500)) {
      await trx
        .insertInto('calls')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('call_id').doUpdateSet((eb) => Object.fromEntries(UPDATABLE.map((col) => [col, eb.ref(`excluded.${col}`)]))),
        )
        .execute();
    }
    for (const chunk of chunks(timeline, 500)) {
      await trx.insertInto('call_timeline').values(chunk).onConflict((oc) => oc.doNothing()).execute();
    }
  },
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
