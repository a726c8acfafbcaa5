import { describe, expect, it } from 'vitest';
import type { AccountCommand, Acting } from '../../../src/domain/account/commands.ts';
import { decideAccount } from '../../../src/domain/account/decide.ts';
import type { Role } from '../../../src/domain/account/events.ts';
import { evolveAccount } from '../../../src/domain/account/evolve.ts';
import { initialAccountState, type AccountState } from '../../../src/domain/account/state.ts';
import { DomainError, NotFoundError, ValidationError } from '../../../src/domain/shared/errors.ts';

const accountId = 'acct-1';
const at = '2026-11-23T09:00:00.000Z';
const hash = 'scrypt$15$8$1$c2FsdA$aGFzaA';

const open: AccountCommand = { type: 'OpenAccount', data: { accountId, name: 'Acme', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi', at } };
const addUser = (userId: string, role: Role, by: Acting = 'operator', email = `${userId}@acme.example`): AccountCommand => ({
  type: 'AddUser',
  data: { accountId, userId, email, name: '', role, passwordHash: hash, by, at },
});

function given(...commands: AccountCommand[]): AccountState {
  let state = initialAccountState();
  for (const command of commands) for (const event of decideAccount(command, state)) state = evolveAccount(state, event);
  return state;
}

const code = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('users of an account', () => {
  it('adds a user with a lowercased email and only the password hash', () => {
    const events = decideAccount(addUser('u1', 'owner', 'operator', ' Boss@Acme.Example '), given(open));
    expect(events).toEqual([{ type: 'UserAdded', data: { accountId, userId: 'u1', email: 'boss@acme.example', name: '', role: 'owner', passwordHash: hash, addedAt: at } }]);
  });

  it('refuses a second active user with the same email, in any case', () => {
    expect(code(() => decideAccount(addUser('u2', 'developer', 'owner', 'U1@acme.example'), given(open, addUser('u1', 'owner'))))).toBe('USER_EMAIL_TAKEN');
  });

  it('is idempotent for the same user id and details', () => {
    expect(decideAccount(addUser('u1', 'owner'), given(open, addUser('u1', 'owner')))).toEqual([]);
  });

  it('refuses a malformed email or a clear password as a validation error', () => {
    expect(() => decideAccount(addUser('u1', 'owner', 'operator', 'not-an-email'), given(open))).toThrow(ValidationError);
    const clear: AccountCommand = { ...addUser('u1', 'owner'), data: { ...(addUser('u1', 'owner').data as object), passwordHash: 'hunter2' } } as AccountCommand;
    expect(() => decideAccount(clear, given(open))).toThrow(ValidationError);
  });

  it('lets developers manage nobody, and admins not touch the owner role', () => {
    const state = given(open, addUser('owner', 'owner'), addUser('admin', 'admin'), addUser('dev', 'developer'));
    expect(code(() => decideAccount(addUser('x', 'developer', 'developer'), state))).toBe('FORBIDDEN');
    expect(code(() => decideAccount(addUser('x', 'owner', 'admin'), state))).toBe('FORBIDDEN');
    expect(code(() => decideAccount({ type: 'ChangeUserRole', data: { accountId, userId: 'owner', role: 'admin', by: 'admin', at } }, state))).toBe('FORBIDDEN');
    expect(code(() => decideAccount({ type: 'RemoveUser', data: { accountId, userId: 'owner', by: 'admin', at } }, state))).toBe('FORBIDDEN');
    expect(decideAccount({ type: 'ChangeUserRole', data: { accountId, userId: 'dev', role: 'admin', by: 'admin', at } }, state)).toHaveLength(1);
  });

  it('always keeps one owner', () => {
    const state = given(open, addUser('owner', 'owner'), addUser('dev', 'developer'));
    expect(code(() => decideAccount({ type: 'RemoveUser', data: { accountId, userId: 'owner', by: 'owner', at } }, state))).toBe('LAST_OWNER');
    expect(code(() => decideAccount({ type: 'ChangeUserRole', data: { accountId, userId: 'owner', role: 'developer', by: 'owner', at } }, state))).toBe('LAST_OWNER');
    const two = given(open, addUser('owner', 'owner'), addUser('owner2', 'owner'));
    expect(decideAccount({ type: 'RemoveUser', data: { accountId, userId: 'owner', by: 'owner', at } }, two)).toEqual([{ type: 'UserRemoved', data: { userId: 'owner', removedAt: at } }]);
  });

  it('forgets a removed user: its email is free again, and removing it twice changes nothing', () => {
    const state = given(open, addUser('owner', 'owner'), addUser('dev', 'developer'), { type: 'RemoveUser', data: { accountId, userId: 'dev', by: 'owner', at } });
    expect(decideAccount({ type: 'RemoveUser', data: { accountId, userId: 'dev', by: 'owner', at } }, state)).toEqual([]);
    expect(decideAccount(addUser('dev2', 'developer', 'owner', 'dev@acme.example'), state)).toHaveLength(1);
    expect(() => decideAccount({ type: 'ChangeUserPassword', data: { accountId, userId: 'dev', passwordHash: hash, at } }, state)).toThrow(NotFoundError);
  });

  it('refuses user commands for an account that does not exist', () => {
    expect(() => decideAccount(addUser('u1', 'owner'), initialAccountState())).toThrow(NotFoundError);
  });
});

describe('settings and plan', () => {
  it('changes settings, keeping the currency, and ignores a change to the same values', () => {
    const state = given(open);
    const events = decideAccount({ type: 'ChangeAccountSettings', data: { accountId, timeZone: 'europe/berlin', at } }, state);
    expect(events).toEqual([{ type: 'AccountSettingsChanged', data: { accountId, name: 'Acme', defaultCountry: 'PK', timeZone: 'Europe/Berlin', changedAt: at } }]);
    expect(decideAccount({ type: 'ChangeAccountSettings', data: { accountId, name: 'Acme', at } }, state)).toEqual([]);
    expect(() => decideAccount({ type: 'ChangeAccountSettings', data: { accountId, defaultCountry: 'XX', at } }, state)).toThrow(ValidationError);
  });

  it('sets a plan with whole-number limits only', () => {
    const state = given(open);
    const plan = (generalPerMinute: number | null): AccountCommand => ({ type: 'ChangeAccountPlan', data: { accountId, plan: 'gold', generalPerMinute, callsPerMinute: 50, at } });
    expect(decideAccount(plan(500), state)).toHaveLength(1);
    expect(decideAccount(plan(500), given(open, plan(500)))).toEqual([]);
    expect(() => decideAccount(plan(0), state)).toThrow(ValidationError);
    expect(() => decideAccount(plan(1.5), state)).toThrow(ValidationError);
  });
});
