import { sql, type Kysely, type Transaction } from 'kysely';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';

type Data = Record<string, any>;

/** `accounts` and `api_keys`: what authentication and per-account settings read. */
export const accountsProjection: Projection = {
  name: 'accounts',
  version: 1,

  async migrate(db: Kysely<any>) {
    await db.schema
      .createTable('accounts')
      .ifNotExists()
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('default_country', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_revision', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_keys')
      .ifNotExists()
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('scopes', 'jsonb', (c) => c.notNull())
      .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .execute();
    await sql`create index if not exists api_keys_account on api_keys (account_id)`.execute(db);
  },

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom('api_keys').execute();
    await trx.deleteFrom('accounts').execute();
  },

  accepts: (event: RecordedEvent) => categoryOf(event.streamName) === 'account',

  async apply(trx: Transaction<any>, events: readonly RecordedEvent[]) {
    for (const event of events) {
      const data = event.data as Data;
      const revision = Number(event.streamRevision);
      switch (event.type) {
        case 'AccountOpened':
          await trx
            .insertInto('accounts')
            .values({
              account_id: data.accountId,
              name: data.name,
              default_country: data.defaultCountry,
              currency: data.currency,
              time_zone: data.timeZone,
              opened_at: data.openedAt,
              last_revision: revision,
            })
            .onConflict((oc) => oc.column('account_id').doNothing())
            .execute();
          break;
        case 'ApiKeyIssued':
          await trx
            .insertInto('api_keys')
            .values({
              key_id: data.keyId,
              account_id: data.accountId,
              name: data.name,
              prefix: data.prefix,
              key_hash: data.keyHash,
              mode: data.mode,
              scopes: JSON.stringify(data.scopes ?? []),
              issued_at: data.issuedAt,
            })
            .onConflict((oc) => oc.column('key_id').doNothing())
            .execute();
          break;
        case 'ApiKeyRevoked':
          await trx.updateTable('api_keys').set({ revoked_at: data.revokedAt }).where('key_id', '=', data.keyId).execute();
          break;
      }
    }
  },
};
