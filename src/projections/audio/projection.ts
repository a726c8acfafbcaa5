import { sql, type Kysely, type Transaction } from 'kysely';
import { isAudioEventType, type AudioEvent } from '../../domain/audio/events.ts';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf, idOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';
import { foldAudioRecord } from './fold.ts';
import type { AudioRecord } from './types.ts';

/**
 * `audio_files`: the audio library as the API lists it. Each row remembers the last stream revision
 * applied, so replaying a batch changes nothing; times are the events' own, never the wall clock.
 */
export const audioProjection: Projection = {
  name: 'audio',
  version: 1,

  async migrate(db: Kysely<any>) {
    await db.schema
      .createTable('audio_files')
      .ifNotExists()
      .addColumn('audio_id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('record', 'jsonb', (c) => c.notNull())
      .addColumn('last_revision', 'integer', (c) => c.notNull())
      .execute();
    await sql`create index if not exists audio_files_tenant on audio_files (tenant_id, created_at desc, audio_id)`.execute(db);
  },

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom('audio_files').execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'audio' && isAudioEventType(event.type),

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    for (const event of events) {
      const audioId = idOf(event.streamName);
      const revision = Number(event.streamRevision);
      const existing = await trx.selectFrom('audio_files').selectAll().where('audio_id', '=', audioId).executeTakeFirst();
      if (existing && Number(existing.last_revision) >= revision) continue;
      const before = existing ? recordOf(existing.record) : null;
      const after = foldAudioRecord(before, event as unknown as AudioEvent);
      if (!after) continue;
      const columns = {
        audio_id: audioId,
        tenant_id: after.tenantId,
        status: after.status,
        created_at: after.createdAt,
        record: JSON.stringify(after),
        last_revision: revision,
      };
      await trx
        .insertInto('audio_files')
        .values(columns)
        .onConflict((oc) =>
          oc.column('audio_id').doUpdateSet({ status: columns.status, record: columns.record, last_revision: columns.last_revision }),
        )
        .execute();
    }
  },
};

export function recordOf(raw: unknown): AudioRecord {
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as AudioRecord;
}
