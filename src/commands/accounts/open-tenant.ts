import { checkEmail } from '../../domain/account/validation.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import type { AccountService, Operator } from './account-service.ts';
import { passwordProblem, type PasswordHasher } from './passwords.ts';

export type OpenTenantRequest = {
  name: string;
  defaultCountry: string;
  currency: string;
  timeZone: string;
  plan: { plan: string; generalPerMinute: number | null; callsPerMinute: number | null } | null;
  owner: { email: string; name: string; password: string } | null;
};

export type OpenedTenant = {
  accountId: string;
  keyId: string;
  /** The owner key's secret: returned here once, stored nowhere. */
  secret: string;
  ownerId: string | null;
  /** Of the last event written; wait for it before reading the tenant back. */
  position: GlobalPosition | null;
};

export const INITIAL_OWNER_KEY_NAME = 'initial owner key';

export function checkPassword(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem, { field });
}

/**
 * A tenant as the operator opens it, from POST /accounts or `calltrail init`: the account, its plan,
 * a first owner key so it can use the API at once, and an owner user when one is given.
 */
export async function openTenant(accounts: AccountService, passwords: PasswordHasher, operator: Operator, tenant: OpenTenantRequest): Promise<OpenedTenant> {
  // Checked before anything is written, so a bad owner leaves no half-made tenant behind.
  if (tenant.owner) {
    checkEmail(tenant.owner.email);
    checkPassword(tenant.owner.password, 'owner.password');
  }
  const { accountId } = await accounts.open(operator, {
    name: tenant.name,
    defaultCountry: tenant.defaultCountry,
    currency: tenant.currency,
    timeZone: tenant.timeZone,
  });
  if (tenant.plan) await accounts.changePlan(operator, accountId, tenant.plan);
  const key = await accounts.issueKey(operator, accountId, { name: INITIAL_OWNER_KEY_NAME, mode: 'live', scopes: [], role: 'owner' });
  if (!tenant.owner) return { accountId, keyId: key.keyId, secret: key.secret, ownerId: null, position: key.position };
  const passwordHash = await passwords.hash(tenant.owner.password);
  const added = await accounts.addUser(operator, accountId, {
    email: tenant.owner.email,
    name: tenant.owner.name,
    role: 'owner',
    passwordHash,
    by: 'operator',
  });
  return { accountId, keyId: key.keyId, secret: key.secret, ownerId: added.userId, position: added.position };
}
