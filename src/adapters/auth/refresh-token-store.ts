import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../domain/shared/clock.ts';
import { migrateToLatest } from '../db/migrations.ts';

/**
 * Rotating refresh tokens, stored as sha-256 only (they are 256-bit random, so a fast hash is
 * enough and lookups by hash compare no secret). Each login starts a family; every refresh spends
 * its token and issues the next one in the family. Presenting a spent token means it leaked:
 * the whole family is revoked, cutting off whoever holds the newer one too.
 * Session state rather than business facts, so kept in a table, not in the event log.
 */

export type RefreshSubject = { accountId: string; userId: string };

const migrations = {
  '0001_refresh_tokens': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('refresh_tokens')
        .ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('used_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await sql`create index if not exists refresh_tokens_family on refresh_tokens (family_id)`.execute(db);
    },
  },
};

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = (): string => `ctr_${randomBytes(32).toString('base64url')}`;

export class RefreshTokenStore {
  constructor(
    private readonly db: Kysely<any>,
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  async migrate(): Promise<void> {
    await migrateToLatest(this.db, { migrations, tableName: 'refresh_token_migrations' });
  }

  /** Starts a new family (a login). */
  async issue(subject: RefreshSubject): Promise<string> {
    return this.insert(subject, crypto.randomUUID());
  }

  /**
   * Spends `token` and returns its successor, or null when it is unknown, expired, revoked or
   * already spent (the last also revokes its family). The spend is one conditional update, so two
   * concurrent refreshes with one token cannot both succeed.
   */
  async rotate(token: string): Promise<{ subject: RefreshSubject; token: string } | null> {
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const spent = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returning(['family_id', 'account_id', 'user_id'])
      .executeTakeFirst();
    if (!spent) {
      const known = await this.db.selectFrom('refresh_tokens').select(['family_id', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (known && known.used_at !== null) await this.revokeFamily(known.family_id);
      return null;
    }
    const subject = { accountId: spent.account_id, userId: spent.user_id };
    return { subject, token: await this.insert(subject, spent.family_id) };
  }

  async revoke(token: string): Promise<void> {
    const row = await this.db.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (row) await this.revokeFamily(row.family_id);
  }

  async purgeExpired(): Promise<void> {
    await this.db.deleteFrom('refresh_tokens').where('expires_at', '<=', this.clock.now()).execute();
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.updateTable('refresh_tokens').set({ revoked_at: this.clock.now() }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
  }

  private async insert(subject: RefreshSubject, familyId: string): Promise<string> {
    const token = newToken();
    const now = this.clock.now();
    await this.db
      .insertInto('refresh_tokens')
      .values({
        token_hash: hashToken(token),
        family_id: familyId,
        account_id: subject.accountId,
        user_id: subject.userId,
        issued_at: now,
        expires_at: new Date(now.getTime() + this.ttlMs),
      })
      .execute();
    return token;
  }
}
