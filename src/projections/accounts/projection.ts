import { sql, type Kysely, type Transaction } from 'kysely';
import type { RecordedEvent } from '../../domain/shared/messages.ts';
import { categoryOf } from '../../domain/shared/streams.ts';
import type { Projection } from '../projection.ts';
import { addColumnIfMissing } from '../add-column.ts';

type Data = Record<string, any>;

/**
 * `accounts`, `api_keys` and `users`: what authentication, rate limits and per-account settings read.
 * v2 added users, key roles and plans; a new version replays the log into emptied tables.
 */
export const accountsProjection: Projection = {
  name: 'accounts',
  version: 2,

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
      .addColumn('plan', 'text', (c) => c.notNull().defaultTo('default'))
      .addColumn('general_per_minute', 'integer')
      .addColumn('calls_per_minute', 'integer')
      .addColumn('max_call_duration_seconds', 'integer')
      .addColumn('calling_hours', 'text')
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
      .addColumn('role', 'text')
      .execute();
    await db.schema.createIndex('api_keys_account').ifNotExists().on('api_keys').column('account_id').execute();
    // v2: plans and limits, key roles, users. Tables made by v1 get the new columns here.
    await addColumnIfMissing(db, 'accounts', 'plan', 'text', (c) => c.notNull().defaultTo('default'));
    await addColumnIfMissing(db, 'accounts', 'general_per_minute', 'integer');
    await addColumnIfMissing(db, 'accounts', 'calls_per_minute', 'integer');
    await addColumnIfMissing(db, 'api_keys', 'role', 'text');
    // Added with CallDefaultsChanged; no earlier event sets it, so null is right for every older row.
    await addColumnIfMissing(db, 'accounts', 'max_call_duration_seconds', 'integer');
    // Added with CallingHoursChanged (JSON text, null = no restriction); null is right for older rows.
    await addColumnIfMissing(db, 'accounts', 'calling_hours', 'text');
    await db.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('added_at', 'timestamptz', (c) => c.notNull())
      .addColumn('removed_at', 'timestamptz')
      .addColumn('last_revision', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_email').ifNotExists().on('users').column('email').execute();
    await db.schema.createIndex('users_account').ifNotExists().on('users').column('account_id').execute();
  },

  async reset(trx: Transaction<any>) {
    await trx.deleteFrom('users').execute();
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
              role: data.role ?? null,
              issued_at: data.issuedAt,
            })
            .onConflict((oc) => oc.column('key_id').doNothing())
            .execute();
          break;
        case 'ApiKeyRevoked':
          await trx.updateTable('api_keys').set({ revoked_at: data.revokedAt }).where('key_id', '=', data.keyId).execute();
          break;
        case 'AccountSettingsChanged':
          await trx
            .updateTable('accounts')
            .set({ name: data.name, default_country: data.defaultCountry, time_zone: data.timeZone, last_revision: revision })
            .where('account_id', '=', data.accountId)
            .where('last_revision', '<', revision)
            .execute();
          break;
        case 'AccountPlanChanged':
          await trx
            .updateTable('accounts')
            .set({ plan: data.plan, general_per_minute: data.generalPerMinute, calls_per_minute: data.callsPerMinute, last_revision: revision })
            .where('account_id', '=', data.accountId)
            .where('last_revision', '<', revision)
            .execute();
          break;
        case 'CallDefaultsChanged':
          await trx
            .updateTable('accounts')
            .set({ max_call_duration_seconds: data.maxCallDurationSeconds, last_revision: revision })
            .where('account_id', '=', data.accountId)
            .where('last_revision', '<', revision)
            .execute();
          break;
        case 'CallingHoursChanged':
          await trx
            .updateTable('accounts')
            .set({ calling_hours: data.callingHours === null ? null : JSON.stringify(data.callingHours), last_revision: revision })
            .where('account_id', '=', data.accountId)
            .where('last_revision', '<', revision)
            .execute();
          break;
        case 'UserAdded':
          await trx
            .insertInto('users')
            .values({
              user_id: data.userId,
              account_id: data.accountId,
              email: data.email,
              name: data.name,
              role: data.role,
              password_hash: data.passwordHash,
              added_at: data.addedAt,
              last_revision: revision,
            })
            .onConflict((oc) => oc.column('user_id').doNothing())
            .execute();
          break;
        case 'UserRoleChanged':
          await updateUser(trx, data.userId, revision, { role: data.role });
          break;
        case 'UserPasswordChanged':
          await updateUser(trx, data.userId, revision, { password_hash: data.passwordHash });
          break;
        case 'UserRemoved':
          await updateUser(trx, data.userId, revision, { removed_at: data.removedAt });
          break;
      }
    }
  },
};

/** Guarded by the stream revision, so replaying an applied event changes nothing. */
async function updateUser(trx: Transaction<any>, userId: string, revision: number, set: Record<string, unknown>): Promise<void> {
  await trx
    .updateTable('users')
    .set({ ...set, last_revision: revision })
    .where('user_id', '=', userId)
    .where('last_revision', '<', revision)
    .execute();
}
