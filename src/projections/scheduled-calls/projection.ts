import type { Kysely, Transaction } from 'kysely';
import { isScheduledCallEventType } from '../../domain/scheduled-call/events.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';

/**
 * `scheduled_calls`: single calls waiting for their calling hours, what the scheduler polls (so the
 * queue survives a restart) and what GET /calls/:id shows before the call exists. Status:
 * scheduled → released → placed (its CallRequested was seen) | refused; or scheduled → cancelled.
 * Each row keeps the last revision of its scheduled-call stream applied, so a replay changes
 * nothing; `placed` is a plain set, idempotent by itself.
 */

export const SCHEDULED_CALLS = 'scheduled_calls';

type Data = Record<string, any>;

export const scheduledCallsProjection: Projection = {
  name: 'scheduled-calls',
  version: 1,

  async migrate(db: Kysely<any>) {
    await db.schema
      .createTable(SCHEDULED_CALLS)
      .ifNotExists()
      .addColumn('call_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('to_number', 'text', (c) => c.notNull())
      .addColumn('from_number', 'text')
      .addColumn('audio_id', 'text')
      .addColumn('record', 'boolean', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('not_before', 'timestamptz', (c) => c.notNull())
      .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ended_at', 'timestamptz')
      .addColumn('reason', 'text')
      .addColumn('last_revision', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('scheduled_calls_due').ifNotExists().on(SCHEDULED_CALLS).columns(['status', 'not_before']).execute();
  },

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom(SCHEDULED_CALLS).execute();
  },

  accepts: (event: RecordedEvent) =>
    (categoryOf(event.streamName) === 'scheduledcall' && isScheduledCallEventType(event.type)) ||
    (categoryOf(event.streamName) === 'call' && event.type === 'CallRequested'),

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    for (const event of events) {
      const data = event.data as Data;
      const revision = Number(event.streamRevision);
      const updatedAt = event.metadata.occurredAt;
      const update = (set: Record<string, unknown>) =>
        trx
          .updateTable(SCHEDULED_CALLS)
          .set({ ...set, last_revision: revision, updated_at: updatedAt })
          .where('call_id', '=', data.callId)
          .where('last_revision', '<', revision)
          .execute();
      switch (event.type) {
        case 'CallScheduled':
          await trx
            .insertInto(SCHEDULED_CALLS)
            .values({
              call_id: data.callId,
              tenant_id: data.tenantId,
              status: 'scheduled',
              to_number: data.to,
              from_number: data.from ?? null,
              audio_id: data.audioId ?? null,
              record: Boolean(data.record),
              mode: data.mode,
              not_before: data.notBefore,
              scheduled_at: data.scheduledAt,
              last_revision: revision,
              updated_at: updatedAt,
            })
            .onConflict((oc) => oc.column('call_id').doNothing())
            .execute();
          break;
        case 'ScheduledCallReleased':
          await update({ status: 'released' });
          break;
        case 'ScheduledCallCancelled':
          await update({ status: 'cancelled', ended_at: data.at, reason: data.reason });
          break;
        case 'ScheduledCallRefused':
          await update({ status: 'refused', ended_at: data.at, reason: `${data.code}: ${data.message}` });
          break;
        case 'CallRequested':
          // Another stream's revision: not compared with last_revision. Only a released row can turn placed.
          await trx.updateTable(SCHEDULED_CALLS).set({ status: 'placed' }).where('call_id', '=', data.callId).where('status', '=', 'released').execute();
          break;
      }
    }
  },
};
