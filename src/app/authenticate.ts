import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccessTokens } from '../commands/accounts/access-tokens.ts';
import { looksLikeJwt } from '../commands/accounts/access-tokens.ts';
import { hashApiKey, looksLikeApiKey } from '../commands/accounts/api-key-secrets.ts';
import type { Principal } from '../http/dependencies.ts';
import type { AccountDirectory } from '../projections/accounts/directory.ts';
import type { AccountQueries } from '../projections/accounts/queries.ts';

/**
 * Resolves a bearer token to who is calling:
 * - `ct_live_…`/`ct_test_…`: an API key, looked up by its SHA-256 (no comparison touches the secret);
 * - a JWT from /auth/login: verified (HS256 only), then its user must still be active — a removed
 *   user's token stops working at once, and a changed role applies at once;
 * - `ct_op_…`: the operator key, compared as hashes in constant time.
 * Anything else, or anything that fails, is null: the HTTP layer answers one uniform 401.
 */

const OPERATOR_PREFIX = 'ct_op_';

export function generateOperatorKey(): { secret: string; hash: string } {
  const secret = `${OPERATOR_PREFIX}${randomBytes(30).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x')}`;
  return { secret, hash: hashApiKey(secret) };
}

export function operatorKeyMatches(token: string, expectedHash: string | null): boolean {
  if (expectedHash === null || !token.startsWith(OPERATOR_PREFIX)) return false;
  const actual = createHash('sha256').update(token, 'utf8').digest();
  const expected = Buffer.from(expectedHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

export function frontDoorAuthenticator(deps: {
  directory: AccountDirectory;
  accessTokens: AccessTokens;
  operatorKeyHash: string | null;
}): (token: string) => Promise<Principal | null> {
  return async (token) => {
    if (looksLikeApiKey(token)) {
      const key = await deps.directory.credentialsForKeyHash(hashApiKey(token));
      if (!key || key.revoked) return null;
      return {
        kind: 'api_key',
        tenantId: key.accountId,
        actor: `apikey:${key.keyId}`,
        keyId: key.keyId,
        mode: key.mode,
        scopes: key.scopes,
        role: key.role,
        limits: { generalPerMinute: key.limits.generalPerMinute, callsPerMinute: key.limits.callsPerMinute },
      };
    }
    if (token.startsWith(OPERATOR_PREFIX)) {
      if (!operatorKeyMatches(token, deps.operatorKeyHash)) return null;
      return { kind: 'operator', tenantId: '', actor: 'operator', keyId: null, mode: 'live', scopes: [], role: 'owner' };
    }
    if (looksLikeJwt(token)) {
      const claims = await deps.accessTokens.verify(token);
      if (!claims) return null;
      const user = await deps.directory.activeUser(claims.tenantId, claims.userId);
      if (!user) return null;
      return {
        kind: 'user',
        tenantId: user.accountId,
        actor: `user:${user.userId}`,
        keyId: null,
        userId: user.userId,
        mode: 'live',
        scopes: [],
        role: user.role,
        limits: { generalPerMinute: user.limits.generalPerMinute, callsPerMinute: user.limits.callsPerMinute },
      };
    }
    return null;
  };
}

/** The API-key-only authenticator of the first version, kept for callers that wire it directly. */
export function apiKeyAuthenticator(accounts: AccountQueries): (token: string) => Promise<Principal | null> {
  return async (token) => {
    if (!looksLikeApiKey(token)) return null;
    const key = await accounts.keyByHash(hashApiKey(token));
    if (!key || key.revoked) return null;
    return { tenantId: key.accountId, actor: `apikey:${key.keyId}`, keyId: key.keyId, mode: key.mode, scopes: key.scopes };
  };
}
