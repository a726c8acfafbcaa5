import { DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { AccountCommand, IssueApiKey, OpenAccount, RevokeApiKey } from './commands.ts';
import { accountEventSchemas, type AccountEvent, type AccountEventOf, type AccountEventType } from './events.ts';
import type { AccountProfile, AccountState, ApiKey } from './state.ts';
import { checkCountry, checkCurrency, checkName, checkScopes, checkTimeZone } from './validation.ts';

/**
 * | command \ state | Initial                 | Open                                                         |
 * |-----------------|-------------------------|--------------------------------------------------------------|
 * | OpenAccount     | AccountOpened           | same settings → []; different → ACCOUNT_ALREADY_EXISTS       |
 * | IssueApiKey     | 404 ACCOUNT_NOT_FOUND   | ApiKeyIssued; same keyId + same data → [];                   |
 * |                 |                         | same keyId, other data → API_KEY_ALREADY_EXISTS;             |
 * |                 |                         | keyHash already used by another key → API_KEY_HASH_IN_USE    |
 * | RevokeApiKey    | 404 ACCOUNT_NOT_FOUND   | ApiKeyRevoked; already revoked → []; unknown → 404 API_KEY_NOT_FOUND |
 *
 * Settings (country, currency, time zone, names, scopes, prefix vs mode) are validated here, so a
 * bad value is a ValidationError and never a stored fact.
 */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  if (state.status === 'Open' && state.profile.accountId !== command.data.accountId) {
    throw new DomainError('ACCOUNT_ID_MISMATCH', `Command for account ${command.data.accountId} sent to ${state.profile.accountId}.`, {
      accountId: command.data.accountId,
      expected: state.profile.accountId,
    });
  }
  switch (command.type) {
    case 'OpenAccount':
      return openAccount(command, state);
    case 'IssueApiKey':
      return issueApiKey(command, state);
    case 'RevokeApiKey':
      return revokeApiKey(command, state);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown account command: ${JSON.stringify(unhandled)}`);
    }
  }
}

function emit<K extends AccountEventType>(type: K, data: AccountEventOf<K>['data']): AccountEventOf<K> {
  const checked = accountEventSchemas[type].safeParse(data);
  if (!checked.success) {
    throw new ValidationError(`The command would produce an invalid ${type} event.`, {
      event: type,
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return { type, data } as AccountEventOf<K>;
}

function accountNotFound(accountId: string): never {
  throw new NotFoundError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist.`, { accountId });
}

function openAccount(command: OpenAccount, state: AccountState): AccountEvent[] {
  const { accountId, at } = command.data;
  const profile: AccountProfile = {
    accountId,
    name: checkName(command.data.name, 'name'),
    defaultCountry: checkCountry(command.data.defaultCountry),
    currency: checkCurrency(command.data.currency),
    timeZone: checkTimeZone(command.data.timeZone),
    openedAt: at,
  };
  if (state.status === 'Initial') return [emit('AccountOpened', profile)];

  const existing = state.profile;
  const same =
    existing.name === profile.name &&
    existing.defaultCountry === profile.defaultCountry &&
    existing.currency === profile.currency &&
    existing.timeZone === profile.timeZone;
  if (same) return [];
  throw new DomainError('ACCOUNT_ALREADY_EXISTS', `Account ${accountId} already exists with different settings.`, {
    accountId,
  });
}

function issueApiKey(command: IssueApiKey, state: AccountState): AccountEvent[] {
  const { accountId, keyId, prefix, keyHash, mode, at } = command.data;
  if (state.status === 'Initial') return accountNotFound(accountId);
  if (!prefix.startsWith(`ct_${mode}_`)) {
    throw new ValidationError(`A ${mode} key's prefix must start with "ct_${mode}_".`, { field: 'prefix', value: prefix, mode });
  }
  const key = {
    keyId,
    name: checkName(command.data.name, 'name'),
    prefix,
    keyHash,
    mode,
    scopes: checkScopes(command.data.scopes),
  };

  const existing = state.keys.get(keyId);
  if (existing) {
    if (sameKey(existing, key)) return [];
    throw new DomainError('API_KEY_ALREADY_EXISTS', `API key ${keyId} already exists with different details.`, { keyId });
  }
  for (const other of state.keys.values()) {
    if (other.keyHash === keyHash) {
      // Two keys with one secret could not be told apart at authentication, nor revoked separately.
      throw new DomainError('API_KEY_HASH_IN_USE', 'Another key already uses this secret.', { keyId, otherKeyId: other.keyId });
    }
  }
  return [emit('ApiKeyIssued', { ...key, accountId, issuedAt: at })];
}

function sameKey(existing: ApiKey, wanted: Omit<ApiKey, 'issuedAt' | 'revokedAt'>): boolean {
  return (
    existing.name === wanted.name &&
    existing.prefix === wanted.prefix &&
    existing.keyHash === wanted.keyHash &&
    existing.mode === wanted.mode &&
    existing.scopes.length === wanted.scopes.length &&
    existing.scopes.every((scope, i) => scope === wanted.scopes[i])
  );
}

function revokeApiKey(command: RevokeApiKey, state: AccountState): AccountEvent[] {
  const { accountId, keyId, at } = command.data;
  if (state.status === 'Initial') return accountNotFound(accountId);
  const key = state.keys.get(keyId);
  if (!key) {
    throw new NotFoundError('API_KEY_NOT_FOUND', `API key ${keyId} does not exist on this account.`, { keyId });
  }
  if (key.revokedAt !== null) return [];
  return [emit('ApiKeyRevoked', { keyId, revokedAt: at })];
}
