import { DomainError, NotFoundError } from '../shared/errors.ts';
import type { Acting, AddUser, ChangeAccountPlan, ChangeAccountSettings, ChangeUserPassword, ChangeUserRole, RemoveUser } from './commands.ts';
import type { AccountEvent, Role } from './events.ts';
import { emitAccountEvent as emit } from './emit.ts';
import type { AccountState, User } from './state.ts';
import { checkCountry, checkEmail, checkName, checkPerMinute, checkPlanName, checkTimeZone } from './validation.ts';

/**
 * Users, settings and plan of an open account.
 *
 * | command               | refused with                                                              |
 * |-----------------------|---------------------------------------------------------------------------|
 * | AddUser               | USER_EMAIL_TAKEN (an active user has the email), FORBIDDEN (see below)     |
 * | ChangeUserRole        | USER_NOT_FOUND, FORBIDDEN, LAST_OWNER (would leave no owner)              |
 * | ChangeUserPassword    | USER_NOT_FOUND                                                            |
 * | RemoveUser            | USER_NOT_FOUND, FORBIDDEN, LAST_OWNER; already removed → []               |
 * | ChangeAccountSettings | nothing changes → []                                                      |
 * | ChangeAccountPlan     | same plan and limits → []                                                 |
 *
 * FORBIDDEN: developers manage no users; admins may not create, change or remove an owner, nor
 * make anyone an owner. Owners and the operator may do all of it.
 */

type Open = Extract<AccountState, { status: 'Open' }>;

function forbidden(message: string, details: Record<string, unknown>): never {
  throw new DomainError('FORBIDDEN', message, details);
}

function checkManages(by: Acting, role: Role, current: Role | null): void {
  if (by === 'developer') forbidden('Developers cannot manage users.', { by });
  if (by === 'admin' && (role === 'owner' || current === 'owner')) {
    forbidden('Only an owner can grant, change or remove the owner role.', { by, role });
  }
}

function activeUser(state: Open, userId: string): User {
  const user = state.users.get(userId);
  if (!user || user.removedAt !== null) {
    throw new NotFoundError('USER_NOT_FOUND', `User ${userId} does not exist on this account.`, { userId });
  }
  return user;
}

function activeOwners(state: Open): number {
  let owners = 0;
  for (const user of state.users.values()) if (user.removedAt === null && user.role === 'owner') owners++;
  return owners;
}

function checkNotLastOwner(state: Open, user: User): void {
  if (user.role === 'owner' && activeOwners(state) === 1) {
    throw new DomainError('LAST_OWNER', 'An account keeps at least one owner; make another user owner first.', { userId: user.userId });
  }
}

export function addUser(command: AddUser, state: Open): AccountEvent[] {
  const { accountId, userId, role, passwordHash, by, at } = command.data;
  const email = checkEmail(command.data.email);
  const name = command.data.name.trim() === '' ? '' : checkName(command.data.name, 'name');
  checkManages(by, role, null);

  const existing = state.users.get(userId);
  if (existing) {
    if (existing.email === email && existing.role === role && existing.passwordHash === passwordHash && existing.name === name) return [];
    throw new DomainError('USER_ALREADY_EXISTS', `User ${userId} already exists with different details.`, { userId });
  }
  for (const user of state.users.values()) {
    if (user.removedAt === null && user.email === email) {
      throw new DomainError('USER_EMAIL_TAKEN', 'A user with this email already exists on this account.', { email });
    }
  }
  return [emit('UserAdded', { accountId, userId, email, name, role, passwordHash, addedAt: at })];
}

export function changeUserRole(command: ChangeUserRole, state: Open): AccountEvent[] {
  const { userId, role, by, at } = command.data;
  const user = activeUser(state, userId);
  checkManages(by, role, user.role);
  if (user.role === role) return [];
  checkNotLastOwner(state, user);
  return [emit('UserRoleChanged', { userId, role, changedAt: at })];
}

export function changeUserPassword(command: ChangeUserPassword, state: Open): AccountEvent[] {
  const { userId, passwordHash, at } = command.data;
  const user = activeUser(state, userId);
  if (user.passwordHash === passwordHash) return [];
  return [emit('UserPasswordChanged', { userId, passwordHash, changedAt: at })];
}

export function removeUser(command: RemoveUser, state: Open): AccountEvent[] {
  const { userId, by, at } = command.data;
  const user = state.users.get(userId);
  if (user && user.removedAt !== null) return [];
  const active = activeUser(state, userId);
  checkManages(by, active.role, active.role);
  checkNotLastOwner(state, active);
  return [emit('UserRemoved', { userId, removedAt: at })];
}

export function changeAccountSettings(command: ChangeAccountSettings, state: Open): AccountEvent[] {
  const { accountId, at } = command.data;
  const current = state.profile;
  const name = command.data.name === undefined ? current.name : checkName(command.data.name, 'name');
  const defaultCountry = command.data.defaultCountry === undefined ? current.defaultCountry : checkCountry(command.data.defaultCountry);
  const timeZone = command.data.timeZone === undefined ? current.timeZone : checkTimeZone(command.data.timeZone);
  if (name === current.name && defaultCountry === current.defaultCountry && timeZone === current.timeZone) return [];
  return [emit('AccountSettingsChanged', { accountId, name, defaultCountry, timeZone, changedAt: at })];
}

export function changeAccountPlan(command: ChangeAccountPlan, state: Open): AccountEvent[] {
  const { accountId, at } = command.data;
  const plan = checkPlanName(command.data.plan);
  const generalPerMinute = checkPerMinute(command.data.generalPerMinute, 'generalPerMinute');
  const callsPerMinute = checkPerMinute(command.data.callsPerMinute, 'callsPerMinute');
  const current = state.plan;
  if (current.plan === plan && current.generalPerMinute === generalPerMinute && current.callsPerMinute === callsPerMinute) return [];
  return [emit('AccountPlanChanged', { accountId, plan, generalPerMinute, callsPerMinute, changedAt: at })];
}
