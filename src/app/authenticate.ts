import { hashApiKey, looksLikeApiKey } from '../commands/accounts/api-key-secrets.ts';
import type { Principal } from '../http/dependencies.ts';
import type { AccountQueries } from '../projections/accounts/queries.ts';

/**
 * Resolves an API key to its tenant. The key is looked up by its SHA-256, so no comparison ever
 * runs over the secret itself and timing reveals nothing about stored keys.
 */
export function apiKeyAuthenticator(accounts: AccountQueries): (token: string) => Promise<Principal | null> {
  return async (token) => {
    if (!looksLikeApiKey(token)) return null;
    const key = await accounts.keyByHash(hashApiKey(token));
    if (!key || key.revoked) return null;
    return { tenantId: key.accountId, actor: `apikey:${key.keyId}`, keyId: key.keyId, mode: key.mode, scopes: key.scopes };
  };
}
