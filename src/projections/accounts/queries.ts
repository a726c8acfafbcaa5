import type { Kysely } from 'kysely';
import type { CallingHoursPolicy } from '../../domain/shared/calling-hours.ts';

export type ApiKeyRecord = {
  keyId: string;
  accountId: string;
  mode: 'live' | 'test';
  scopes: string[];
  revoked: boolean;
};

export type AccountRecord = {
  accountId: string;
  name: string;
  defaultCountry: string;
  currency: string;
  timeZone: string;
};

export type AccountCallSettings = {
  defaultCountry: string;
  maxCallDurationSeconds: number | null;
  timeZone: string;
  callingHours: CallingHoursPolicy | null;
};

/** The column holds the event's hours as JSON text; null (or a row from before it existed) = any time. */
export const callingHoursOf = (value: unknown): CallingHoursPolicy | null =>
  value === null || value === undefined ? null : (JSON.parse(String(value)) as CallingHoursPolicy);

export class AccountQueries {
  constructor(private readonly db: Kysely<any>) {}

  async keyByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    if (!row) return null;
    return {
      keyId: row.key_id,
      accountId: row.account_id,
      mode: row.mode,
      scopes: typeof row.scopes === 'string' ? JSON.parse(row.scopes) : row.scopes,
      revoked: row.revoked_at !== null,
    };
  }

  async account(accountId: string): Promise<AccountRecord | null> {
    const row = await this.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!row) return null;
    return {
      accountId: row.account_id,
      name: row.name,
      defaultCountry: row.default_country,
      currency: row.currency,
      timeZone: row.time_zone,
    };
  }

  async settingsOf(tenantId: string): Promise<AccountCallSettings | null> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['default_country', 'max_call_duration_seconds', 'time_zone', 'calling_hours'])
      .where('account_id', '=', tenantId)
      .executeTakeFirst();
    return row
      ? {
          defaultCountry: row.default_country,
          maxCallDurationSeconds: row.max_call_duration_seconds ?? null,
          timeZone: row.time_zone,
          callingHours: callingHoursOf(row.calling_hours),
        }
      : null;
  }

  /** Live keys of an account with a given name (the sandbox replaces its demo key on every start). */
  async activeKeysNamed(accountId: string, name: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select('key_id')
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((row) => row.key_id);
  }

  async firstAccountNamed(name: string): Promise<AccountRecord | null> {
    const row = await this.db.selectFrom('accounts').select('account_id').where('name', '=', name).orderBy('opened_at').executeTakeFirst();
    return row ? this.account(row.account_id) : null;
  }
}

