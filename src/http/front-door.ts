import type { CallingHoursPolicy } from '../domain/shared/calling-hours.ts';
import type { AccountSummary, ApiKeySummary, UserSummary } from '../projections/accounts/directory.ts';
import type { IdempotencyStore } from './idempotency/port.ts';
import type { RateLimitPort } from './rate-limit/port.ts';
import type { RequestContext } from './dependencies.ts';

/**
 * What the front door needs from the rest of calltrail: sessions (login/refresh), API keys, users,
 * tenants, rate-limit counters and idempotency records. The HTTP layer only sees these ports.
 */

export type Role = 'owner' | 'admin' | 'developer';
export type PrincipalKind = 'api_key' | 'user' | 'operator';
export type PrincipalLimits = { generalPerMinute: number | null; callsPerMinute: number | null };

export type { AccountSummary, ApiKeySummary, UserSummary };

export type TokenPair = {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: UserSummary;
};

export type LoginResult =
  | { ok: true; tokens: TokenPair }
  /** One answer for a wrong password and for an unknown email. */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** The email and password match users of several accounts: the client must name one. */
  | { ok: false; reason: 'ambiguous'; accountIds: string[] };

export interface SessionsPort {
  login(input: { email: string; password: string; accountId: string | null; clientIp: string }): Promise<LoginResult>;
  /** Rotates: the token given is spent. Null for unknown, expired, spent or reused tokens. */
  refresh(refreshToken: string): Promise<TokenPair | null>;
  /** Ends the refresh token's whole family. Unknown tokens are ignored. */
  logout(refreshToken: string): Promise<void>;
}

export type NewApiKey = { name: string; mode: 'live' | 'test'; scopes: string[]; role: Role };

export interface ApiKeysPort {
  /** The secret is returned here once and never again. */
  issue(ctx: RequestContext, key: NewApiKey): Promise<{ key: ApiKeySummary; secret: string }>;
  list(tenantId: string): Promise<ApiKeySummary[]>;
  get(tenantId: string, keyId: string): Promise<ApiKeySummary | null>;
  /** Throws NotFoundError('API_KEY_NOT_FOUND') for unknown ids and other tenants' ids. */
  revoke(ctx: RequestContext, keyId: string): Promise<ApiKeySummary>;
}

export type NewUser = { email: string; name: string; role: Role; password: string };

export interface UsersPort {
  add(ctx: RequestContext, user: NewUser): Promise<UserSummary>;
  list(tenantId: string): Promise<UserSummary[]>;
  get(tenantId: string, userId: string): Promise<UserSummary | null>;
  update(ctx: RequestContext, userId: string, change: { role?: Role; password?: string }): Promise<UserSummary>;
  remove(ctx: RequestContext, userId: string): Promise<void>;
}

export type NewAccount = {
  name: string;
  defaultCountry: string;
  currency: string;
  timeZone: string;
  plan: { plan: string; generalPerMinute: number | null; callsPerMinute: number | null } | null;
  owner: { email: string; name: string; password: string } | null;
};

export type AccountChange = {
  name?: string;
  defaultCountry?: string;
  timeZone?: string;
  /** The account's default ceiling for calls that name none; null goes back to the engine's. */
  maxCallDurationSeconds?: number | null;
  /** Permitted calling hours for the account's calls; null lifts the restriction. */
  callingHours?: CallingHoursPolicy | null;
  /** Operator only. */
  plan?: { plan: string; generalPerMinute: number | null; callsPerMinute: number | null };
};

export interface AccountsPort {
  /** Opens a tenant with a first owner key (shown once) and, when given, an owner user. */
  open(ctx: RequestContext, account: NewAccount): Promise<{ account: AccountSummary; key: ApiKeySummary; secret: string; owner: UserSummary | null }>;
  list(): Promise<AccountSummary[]>;
  get(accountId: string): Promise<AccountSummary | null>;
  update(ctx: RequestContext, accountId: string, change: AccountChange): Promise<AccountSummary>;
}

export interface FrontDoorDependencies {
  sessions?: SessionsPort;
  apiKeys?: ApiKeysPort;
  users?: UsersPort;
  accounts?: AccountsPort;
  rateLimits?: { port: RateLimitPort; generalPerMinute: number; callsPerMinute: number };
  idempotency?: IdempotencyStore;
  /** How long a duplicate waits for the first request before 409 IDEMPOTENCY_KEY_IN_USE. Default 10 s. */
  idempotencyWaitMs?: number;
}
