import type { Kysely } from 'kysely';
import type { CallingHoursPolicy } from '../../domain/shared/calling-hours.ts';
import { callingHoursOf } from './queries.ts';

/**
 * Reads of the accounts read model for the front door: who a credential belongs to, and what
 * owners and admins list. Every tenant-facing read takes the account id, so another tenant's id
 * reads as missing.
 */

export type Role = 'owner' | 'admin' | 'developer';

export type PlanLimits = { plan: string; generalPerMinute: number | null; callsPerMinute: number | null };

export type AccountSummary = {
  accountId: string;
  name: string;
  defaultCountry: string;
  currency: string;
  timeZone: string;
  openedAt: string;
  /** Ceiling for calls that name none; null = the engine's default. */
  maxCallDurationSeconds: number | null;
  /** When the account's calls may reach a callee; null = any time. */
  callingHours: CallingHoursPolicy | null;
} & PlanLimits;

export type ApiKeySummary = {
  keyId: string;
  accountId: string;
  name: string;
  prefix: string;
  mode: 'live' | 'test';
  scopes: string[];
  role: Role;
  issuedAt: string;
  revokedAt: string | null;
};

export type UserSummary = {
  userId: string;
  accountId: string;
  email: string;
  name: string;
  role: Role;
  addedAt: string;
};

/** A user as login sees it: with the hash, which never leaves the server. */
export type UserCredentials = UserSummary & { passwordHash: string };

/** A key as authentication sees it, with its account's limits (one query per request). */
export type KeyCredentials = {
  keyId: string;
  accountId: string;
  mode: 'live' | 'test';
  scopes: string[];
  role: Role;
  revoked: boolean;
  limits: PlanLimits;
};

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value));
const jsonArray = (value: unknown): string[] => (typeof value === 'string' ? JSON.parse(value) : (value as string[]));

function planOf(row: Record<string, any>): PlanLimits {
  return { plan: row.plan ?? 'default', generalPerMinute: row.general_per_minute ?? null, callsPerMinute: row.calls_per_minute ?? null };
}

function accountFrom(row: Record<string, any>): AccountSummary {
  return {
    accountId: row.account_id,
    name: row.name,
    defaultCountry: row.default_country,
    currency: row.currency,
    timeZone: row.time_zone,
    openedAt: iso(row.opened_at),
    maxCallDurationSeconds: row.max_call_duration_seconds ?? null,
    callingHours: callingHoursOf(row.calling_hours),
    ...planOf(row),
  };
}

function keyFrom(row: Record<string, any>): ApiKeySummary {
  return {
    keyId: row.key_id,
    accountId: row.account_id,
    name: row.name,
    prefix: row.prefix,
    mode: row.mode,
    scopes: jsonArray(row.scopes),
    // Keys from before roles had full access.
    role: row.role ?? 'owner',
    issuedAt: iso(row.issued_at),
    revokedAt: isoOrNull(row.revoked_at),
  };
}

function userFrom(row: Record<string, any>): UserSummary {
  return { userId: row.user_id, accountId: row.account_id, email: row.email, name: row.name, role: row.role, addedAt: iso(row.added_at) };
}

export class AccountDirectory {
  constructor(private readonly db: Kysely<any>) {}

  async credentialsForKeyHash(keyHash: string): Promise<KeyCredentials | null> {
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.account_id', 'api_keys.account_id')
      .select([
        'api_keys.key_id', 'api_keys.account_id', 'api_keys.mode', 'api_keys.scopes', 'api_keys.role', 'api_keys.revoked_at',
        'accounts.plan', 'accounts.general_per_minute', 'accounts.calls_per_minute',
      ])
      .where('api_keys.key_hash', '=', keyHash)
      .executeTakeFirst();
    if (!row) return null;
    return {
      keyId: row.key_id,
      accountId: row.account_id,
      mode: row.mode,
      scopes: jsonArray(row.scopes),
      role: row.role ?? 'owner',
      revoked: row.revoked_at !== null,
      limits: planOf(row),
    };
  }

  /** Active users with this email, across accounts (an email may belong to several tenants). */
  async usersByEmail(email: string): Promise<UserCredentials[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('email', '=', email).where('removed_at', 'is', null).execute();
    return rows.map((row) => ({ ...userFrom(row), passwordHash: row.password_hash }));
  }

  /** An active user with its account's limits; null once removed. */
  async activeUser(accountId: string, userId: string): Promise<(UserSummary & { limits: PlanLimits }) | null> {
    const row = await this.db
      .selectFrom('users')
      .innerJoin('accounts', 'accounts.account_id', 'users.account_id')
      .select([
        'users.user_id', 'users.account_id', 'users.email', 'users.name', 'users.role', 'users.added_at',
        'accounts.plan', 'accounts.general_per_minute', 'accounts.calls_per_minute',
      ])
      .where('users.account_id', '=', accountId)
      .where('users.user_id', '=', userId)
      .where('users.removed_at', 'is', null)
      .executeTakeFirst();
    return row ? { ...userFrom(row), limits: planOf(row) } : null;
  }

  async users(accountId: string): Promise<UserSummary[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('removed_at', 'is', null)
      .orderBy('added_at')
      .orderBy('user_id')
      .execute();
    return rows.map(userFrom);
  }

  async keys(accountId: string): Promise<ApiKeySummary[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('issued_at', 'desc')
      .orderBy('key_id')
      .execute();
    return rows.map(keyFrom);
  }

  async key(accountId: string, keyId: string): Promise<ApiKeySummary | null> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('account_id', '=', accountId).where('key_id', '=', keyId).executeTakeFirst();
    return row ? keyFrom(row) : null;
  }

  async account(accountId: string): Promise<AccountSummary | null> {
    const row = await this.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return row ? accountFrom(row) : null;
  }

  async accounts(): Promise<AccountSummary[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('opened_at').orderBy('account_id').execute();
    return rows.map(accountFrom);
  }
}
