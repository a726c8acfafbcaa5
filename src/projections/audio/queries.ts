import type { Kysely } from 'kysely';
import { recordOf } from './projection.ts';
import type { AudioRecord, ListAudioQuery } from './types.ts';

/** What the HTTP layer reads. Every query takes the tenant: another tenant's file reads as missing. */
export class AudioQueries {
  constructor(private readonly db: Kysely<any>) {}

  /** Files a client can use or is waiting for, newest first; rejected and deleted ones are left out. */
  async list(tenantId: string, query: ListAudioQuery): Promise<{ rows: AudioRecord[]; total: number }> {
    const visible = this.db
      .selectFrom('audio_files')
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', ['processing', 'ready']);
    const rows = await visible
      .select('record')
      .orderBy('created_at', 'desc')
      .orderBy('audio_id', 'desc')
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    const count = await visible.select((eb) => eb.fn.countAll().as('total')).executeTakeFirst();
    return { rows: rows.map((row) => recordOf(row.record)), total: Number(count?.total ?? 0) };
  }

  /** A deleted file is gone for its owner too; a rejected one still shows why. */
  async get(tenantId: string, audioId: string): Promise<AudioRecord | null> {
    const row = await this.db
      .selectFrom('audio_files')
      .select('record')
      .where('tenant_id', '=', tenantId)
      .where('audio_id', '=', audioId)
      .where('status', '!=', 'deleted')
      .executeTakeFirst();
    return row ? recordOf(row.record) : null;
  }
}
