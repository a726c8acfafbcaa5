import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { migrateToLatest } from '../db/migrations.ts';

/**
 * Idempotency records in the `idempotency_keys` table (Postgres or PGlite, through kysely).
 * `begin` inserts the row first: the insert that wins owns the key, so two requests with one key
 * never both run, on any number of API processes. A running row carries a lease; one whose owner
 * died is taken over after it lapses. Rows are kept `retentionMs` (24 h by default) and purged after.
 */

export type StoredResponse = { status: number; headers: Record<string, string>; body: string };
export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_progress' };

export type IdempotencyStoreOptions = {
  readonly clock: Clock;
  /** How long a finished response is replayable. Default 24 h. */
  readonly retentionMs?: number;
  /** How long a running request holds its key before another may take over. Default 2 min. */
  readonly leaseMs?: number;
};

const migrations = {
  '0001_idempotency_keys': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('idempotency_keys')
        .ifNotExists()
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('headers', 'jsonb')
        .addColumn('body', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('locked_until', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
        .execute();
      await sql`create index if not exists idempotency_keys_expiry on idempotency_keys (expires_at)`.execute(db);
    },
  },
};

export class SqlIdempotencyStore {
  private readonly retentionMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly db: Kysely<any>,
    private readonly options: IdempotencyStoreOptions,
  ) {
    this.retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.leaseMs = options.leaseMs ?? 2 * 60 * 1000;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.db, { migrations, tableName: 'idempotency_migrations' });
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const now = this.options.clock.now();
    // One statement claims a new key or an expired record's (an expired record is as good as none);
    // a live record is left alone, and the row lock makes exactly one of two racing claims win.
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        fingerprint,
        state: 'running',
        created_at: now,
        locked_until: new Date(now.getTime() + this.leaseMs),
        expires_at: new Date(now.getTime() + this.retentionMs),
      })
      .onConflict((oc) =>
        oc
          .columns(['scope', 'key'])
          .doUpdateSet((eb) => ({
            fingerprint: eb.ref('excluded.fingerprint'),
            state: eb.ref('excluded.state'),
            status: null,
            headers: null,
            body: null,
            created_at: eb.ref('excluded.created_at'),
            locked_until: eb.ref('excluded.locked_until'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where('idempotency_keys.expires_at', '<=', now),
      )
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'started' };

    const row = await this.db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
    // Gone between the insert and the read (abandoned after a 5xx): the caller simply tries again.
    if (!row) return { kind: 'in_progress' };
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.state === 'done') {
      const headers = typeof row.headers === 'string' ? JSON.parse(row.headers) : (row.headers ?? {});
      return { kind: 'replay', response: { status: row.status, headers, body: row.body ?? '' } };
    }
    if (new Date(row.locked_until).getTime() > now.getTime()) return { kind: 'in_progress' };
    // The owner's lease lapsed (its process died): take the key over, if nobody else just did.
    const taken = await this.db
      .updateTable('idempotency_keys')
      .set({ locked_until: new Date(now.getTime() + this.leaseMs) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'running')
      .where('locked_until', '=', row.locked_until)
      .returning('key')
      .executeTakeFirst();
    return taken ? { kind: 'started' } : { kind: 'in_progress' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ state: 'done', status: response.status, headers: JSON.stringify(response.headers), body: response.body })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  }

  async abandon(scope: string, key: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('state', '=', 'running').execute();
  }

  /** Deletes records past their retention; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', this.options.clock.now()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
