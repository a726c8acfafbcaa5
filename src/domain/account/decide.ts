import { DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import type { AccountCommand, ChangeCallingHours, IssueApiKey, OpenAccount, RevokeApiKey } from './commands.ts';
import type { AccountEvent } from './events.ts';
import { emitAccountEvent as emit } from './emit.ts';
import { addUser, changeAccountPlan, changeAccountSettings, changeUserPassword, changeUserRole, removeUser } from './users.ts';
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
 * | ChangeCallDefaults | 404 ACCOUNT_NOT_FOUND | CallDefaultsChanged; same value → []; outside 1..14400 → ValidationError |
 * | ChangeCallingHours | 404 ACCOUNT_NOT_FOUND | CallingHoursChanged; same hours → []; malformed → ValidationError |
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
    case 'ChangeAccountSettings':
      return state.status === 'Open' ? changeAccountSettings(command, state) : accountNotFound(command.data.accountId);
    case 'ChangeAccountPlan':
      return state.status === 'Open' ? changeAccountPlan(command, state) : accountNotFound(command.data.accountId);
    case 'ChangeCallDefaults': {
      if (state.status !== 'Open') return accountNotFound(command.data.accountId);
      const { accountId, maxCallDurationSeconds, at } = command.data;
      if (maxCallDurationSeconds !== null && (!Number.isInteger(maxCallDurationSeconds) || maxCallDurationSeconds < 1 || maxCallDurationSeconds > 14_400)) {
        throw new ValidationError('max_call_duration_seconds must be a whole number from 1 to 14400, or null.', { maxCallDurationSeconds });
      }
      if (maxCallDurationSeconds === state.maxCallDurationSeconds) return [];
      return [emit('CallDefaultsChanged', { accountId, maxCallDurationSeconds, changedAt: at })];
    }
    case 'ChangeCallingHours':
      return state.status === 'Open' ? changeCallingHours(command, state) : accountNotFound(command.data.accountId);
    case 'AddUser':
      return state.status === 'Open' ? addUser(command, state) : accountNotFound(command.data.accountId);
    case 'ChangeUserRole':
      return state.status === 'Open' ? changeUserRole(command, state) : accountNotFound(command.data.accountId);
    case 'ChangeUserPassword':
      return state.status === 'Open' ? changeUserPassword(command, state) : accountNotFound(command.data.accountId);
    case 'RemoveUser':
      return state.status === 'Open' ? removeUser(command, state) : accountNotFound(command.data.accountId);
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown account command: ${JSON.stringify(unhandled)}`);
    }
  }
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
    ...(command.data.role === undefined ? {} : { role: command.data.role }),
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
    existing.role === wanted.role &&
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

function changeCallingHours(command: ChangeCallingHours, state: Extract<AccountState, { status: 'Open' }>): AccountEvent[] {
  const { accountId, callingHours, at } = command.data;
  // emit checks the hours against the event's schema: a malformed value is a ValidationError.
  const event = emit('CallingHoursChanged', { accountId, callingHours, changedAt: at });
  if (JSON.stringify(normalised(callingHours)) === JSON.stringify(normalised(state.callingHours))) return [];
  return [event];
}

const normalised = (hours: ChangeCallingHours['data']['callingHours']) =>
  hours === null ? null : { start: hours.start, end: hours.end, days: [...hours.days].sort(), enforce: hours.enforce };
