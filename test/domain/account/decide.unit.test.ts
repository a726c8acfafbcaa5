import { describe, expect, it } from 'vitest';
import type { AccountCommand } from '../../../src/domain/account/commands.ts';
import { decideAccount } from '../../../src/domain/account/decide.ts';
import { accountEventSchemas, type AccountEvent } from '../../../src/domain/account/events.ts';
import { evolveAccount } from '../../../src/domain/account/evolve.ts';
import { initialAccountState, type AccountState } from '../../../src/domain/account/state.ts';
import { DomainError, NotFoundError, ValidationError } from '../../../src/domain/shared/errors.ts';

const accountId = 'acct-zenscall';
const at = '2026-01-01T09:00:00.000Z';
const later = '2026-01-02T09:00:00.000Z';
const hash = (char: string) => char.repeat(64);

const open: AccountCommand = {
  type: 'OpenAccount',
  data: { accountId, name: 'ZensCall', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi', at },
};

const issue = (overrides: Partial<Extract<AccountCommand, { type: 'IssueApiKey' }>['data']> = {}): AccountCommand => ({
  type: 'IssueApiKey',
  data: {
    accountId,
    keyId: 'key-1',
    name: 'Production',
    prefix: 'ct_live_ab12',
    keyHash: hash('a'),
    mode: 'live',
    scopes: ['calls:write', 'calls:read'],
    at,
    ...overrides,
  },
});

const revoke = (keyId = 'key-1'): AccountCommand => ({ type: 'RevokeApiKey', data: { accountId, keyId, at: later } });

/** Runs commands through decide + evolve, the way the handler would. */
function given(...commands: AccountCommand[]): AccountState {
  let state = initialAccountState();
  for (const command of commands) for (const event of decideAccount(command, state)) state = evolveAccount(state, event);
  return state;
}

function when(state: AccountState, command: AccountCommand): AccountEvent[] {
  const events = decideAccount(command, state);
  for (const event of events) accountEventSchemas[event.type].parse(event.data);
  return events;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

describe('OpenAccount', () => {
  it('given nothing, when opened, then AccountOpened carries the settings', () => {
    expect(when(given(), open)).toEqual([
      {
        type: 'AccountOpened',
        data: { accountId, name: 'ZensCall', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi', openedAt: at },
      },
    ]);
  });

  it('writes the time zone in its canonical spelling', () => {
    const [event] = when(given(), { ...open, data: { ...open.data, timeZone: 'asia/karachi' } });
    expect(event?.data).toMatchObject({ timeZone: 'Asia/Karachi' });
  });

  it('given an open account, when the same opening comes again, then nothing; different settings are refused', () => {
    expect(when(given(open), { ...open, data: { ...open.data, at: later } })).toEqual([]);
    expect(codeOf(() => decideAccount({ ...open, data: { ...open.data, currency: 'USD' } }, given(open)))).toBe('ACCOUNT_ALREADY_EXISTS');
  });

  it.each([
    ['timeZone', 'Mars/Olympus_Mons'],
    ['timeZone', '+05:00'],
    ['defaultCountry', 'XX'],
    ['defaultCountry', 'pk'],
    ['currency', 'ZZZ'],
    ['name', '   '],
  ])('refuses an invalid %s (%s) with ValidationError', (field, value) => {
    const bad = { ...open, data: { ...open.data, [field]: value } } as AccountCommand;
    expect(() => decideAccount(bad, given())).toThrow(ValidationError);
    try {
      decideAccount(bad, given());
    } catch (error) {
      expect((error as ValidationError).details).toMatchObject({ field, value });
    }
  });
});

describe('IssueApiKey', () => {
  it('given an open account, when a key is issued, then only its hash and prefix are recorded', () => {
    const [event] = when(given(open), issue());
    expect(event).toEqual({
      type: 'ApiKeyIssued',
      data: {
        keyId: 'key-1',
        accountId,
        name: 'Production',
        prefix: 'ct_live_ab12',
        keyHash: hash('a'),
        mode: 'live',
        scopes: ['calls:read', 'calls:write'],
        issuedAt: at,
      },
    });
  });

  it('refuses a key for an account that does not exist', () => {
    expect(() => decideAccount(issue(), given())).toThrow(NotFoundError);
    expect(codeOf(() => decideAccount(issue(), given()))).toBe('ACCOUNT_NOT_FOUND');
  });

  it('a retried issue is a no-op; the same key id with other details, or a reused secret, is refused', () => {
    const state = given(open, issue());
    expect(when(state, issue({ at: later, scopes: ['calls:read', 'calls:write', 'calls:read'] }))).toEqual([]);
    expect(codeOf(() => decideAccount(issue({ name: 'Other' }), state))).toBe('API_KEY_ALREADY_EXISTS');
    expect(codeOf(() => decideAccount(issue({ keyId: 'key-2' }), state))).toBe('API_KEY_HASH_IN_USE');
    expect(when(state, issue({ keyId: 'key-2', keyHash: hash('b'), prefix: 'ct_test_cd34', mode: 'test' }))).toHaveLength(1);
  });

  it.each([
    ['a prefix that does not match the mode', { prefix: 'ct_test_ab12' }],
    ['a hash that is not hex sha-256', { keyHash: 'not-a-hash' }],
    ['an upper-case hash', { keyHash: 'A'.repeat(64) }],
    ['an empty scope', { scopes: [''] }],
  ])('refuses %s', (_label, overrides) => {
    expect(() => decideAccount(issue(overrides), given(open))).toThrow(ValidationError);
  });
});

describe('RevokeApiKey', () => {
  it('given an issued key, when revoked, then ApiKeyRevoked; revoking again is a no-op', () => {
    const state = given(open, issue());
    expect(when(state, revoke())).toEqual([{ type: 'ApiKeyRevoked', data: { keyId: 'key-1', revokedAt: later } }]);
    const revoked = given(open, issue(), revoke());
    expect(revoked.status === 'Open' && revoked.keys.get('key-1')?.revokedAt).toBe(later);
    expect(when(revoked, revoke())).toEqual([]);
  });

  it('revoking an unknown key is API_KEY_NOT_FOUND', () => {
    expect(() => decideAccount(revoke('nope'), given(open))).toThrow(NotFoundError);
    expect(codeOf(() => decideAccount(revoke('nope'), given(open)))).toBe('API_KEY_NOT_FOUND');
  });
});

describe('evolveAccount', () => {
  it('ignores unknown event types', () => {
    const state = given(open);
    expect(evolveAccount(state, { type: 'AccountRenamed', data: { name: 'x' } })).toBe(state);
  });

  it('keeps keys apart by id, even awkward ones', () => {
    const state = given(open, issue({ keyId: '__proto__' }));
    expect(state.status === 'Open' && state.keys.get('__proto__')?.keyHash).toBe(hash('a'));
  });
});
