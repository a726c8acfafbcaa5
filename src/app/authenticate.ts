import type { AccessTokens } from '../commands/accounts/access-tokens.ts';
import { looksLikeJwt } from '../commands/accounts/access-tokens.ts';
import { hashApiKey, looksLikeApiKey, OPERATOR_KEY_PREFIX, operatorKeyMatches } from '../commands/accounts/api-key-secrets.ts';
import type { OperatorKeys } from '../commands/accounts/operator-keys.ts';
import type { Principal } from '../http/dependencies.ts';
import type { AccountDirectory } from '../projections/accounts/directory.ts';
import type { AccountQueries } from '../projections/accounts/queries.ts';

/**
 * Resolves a bearer token to who is calling:
 * - `ct_live_…`/`ct_test_…`: an API key, looked up by its SHA-256 (no comparison touches the secret);
 * - a JWT from /auth/login: verified (HS256 only), then its user must still be active — a removed
 *   user's token stops working at once, and a changed role applies at once;
 * - `ct_op_…`: the operator key (configured or issued by `calltrail init`), compared as hashes in constant time.
 * Anything else, or anything that fails, is null: the HTTP layer answers one uniform 401.
 */

export { generateOperatorKey, operatorKeyMatches } from '../commands/accounts/api-key-secrets.ts';

/**
 * The operator key is accepted from either place: the hash in OPERATOR_API_KEY_HASH (the sandbox,
 * and installs that configure it by hand), or a key in force on the operator stream (`calltrail init`).
 */
export function operatorKeyCheck(configuredHash: string | null, issued: Pick<OperatorKeys, 'accepts'>): (token: string) => Promise<boolean> {
  return async (token) => operatorKeyMatches(token, configuredHash) || (await issued.accepts(token));
}

export function frontDoorAuthenticator(deps: {
  directory: AccountDirectory;
  accessTokens: AccessTokens;
  isOperatorKey: (token: string) => Promise<boolean>;
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
    if (token.startsWith(OPERATOR_KEY_PREFIX)) {
      if (!(await deps.isOperatorKey(token))) return null;
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
