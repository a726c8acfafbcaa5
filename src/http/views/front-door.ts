import type { AccountSummary, ApiKeySummary, TokenPair, UserSummary } from '../front-door.ts';

/** Public snake_case JSON of keys, users, accounts and tokens. No secret hash ever appears here. */

export function apiKeyView(key: ApiKeySummary) {
  return {
    id: key.keyId,
    name: key.name,
    /** Enough to tell keys apart; not enough to use one. */
    prefix: key.prefix,
    mode: key.mode,
    role: key.role,
    scopes: key.scopes,
    status: key.revokedAt === null ? 'active' : 'revoked',
    created_at: key.issuedAt,
    revoked_at: key.revokedAt,
  };
}

export function userView(user: UserSummary) {
  return { id: user.userId, account_id: user.accountId, email: user.email, name: user.name, role: user.role, created_at: user.addedAt };
}

export function accountView(account: AccountSummary) {
  return {
    id: account.accountId,
    name: account.name,
    default_country: account.defaultCountry,
    currency: account.currency,
    time_zone: account.timeZone,
    max_call_duration_seconds: account.maxCallDurationSeconds,
    calling_hours: account.callingHours,
    plan: { name: account.plan, general_per_minute: account.generalPerMinute, calls_per_minute: account.callsPerMinute },
    created_at: account.openedAt,
  };
}

export function tokenView(tokens: TokenPair) {
  return {
    access_token: tokens.accessToken,
    token_type: 'Bearer',
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    refresh_expires_in: tokens.refreshExpiresIn,
    user: userView(tokens.user),
  };
}
