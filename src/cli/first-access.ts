import { randomBytes } from 'node:crypto';
import { OperatorKeys } from '../commands/accounts/operator-keys.ts';
import { checkPassword, openTenant } from '../commands/accounts/open-tenant.ts';
import { DEFAULT_SCRYPT_COST, PasswordHasher } from '../commands/accounts/passwords.ts';
import type { Operator } from '../commands/accounts/account-service.ts';
import { AccountService } from '../commands/accounts/account-service.ts';
import { checkCountry, checkCurrency, checkEmail, checkName, checkTimeZone } from '../domain/account/validation.ts';
import { DomainError, ValidationError } from '../domain/shared/errors.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import { frontDoorSettings } from '../app/front-door-config.ts';
import type { CliContext, Stores } from './context.ts';
import { CliError, EXIT } from './errors.ts';
import { tenantNamed } from './tenant-lookup.ts';

/**
 * What `calltrail init` does: the operator key on the log (so the engine accepts it with no env
 * change) and, when asked, a first tenant with an owner key and an owner login. Every secret is
 * returned once for printing; only hashes are written.
 */

export type TenantRequest = {
  name: string;
  ownerEmail: string | null;
  ownerName: string;
  /** Null: one is generated and printed once. */
  ownerPassword: string | null;
  defaultCountry: string;
  currency: string;
  timeZone: string;
};

export type InitRequest = { rotate: boolean; tenant: TenantRequest | null };

export type TenantOutcome =
  | {
      status: 'created';
      accountId: string;
      name: string;
      keyId: string;
      apiKey: string;
      owner: { userId: string; email: string; password: string; passwordGenerated: boolean } | null;
    }
  | { status: 'exists'; accountId: string; name: string; ownerEmail: string | null };

export type InitResult = {
  operatorKey: { keyId: string; key: string; prefix: string; revoked: string[] };
  tenant: TenantOutcome | null;
  /** Of the last event written: the engine's read models include everything once they reach it. */
  position: GlobalPosition | null;
};

/** Checks every input before anything is written, so a typo never leaves half an install behind. */
export function checkTenantRequest(tenant: TenantRequest): TenantRequest {
  try {
    const checked = {
      ...tenant,
      name: checkName(tenant.name, 'tenant name'),
      ownerEmail: tenant.ownerEmail === null ? null : checkEmail(tenant.ownerEmail),
      defaultCountry: checkCountry(tenant.defaultCountry.toUpperCase()),
      currency: checkCurrency(tenant.currency.toUpperCase()),
      timeZone: checkTimeZone(tenant.timeZone),
    };
    if (checked.ownerPassword !== null) checkPassword(checked.ownerPassword, 'owner password');
    return checked;
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

export async function initialise(stores: Stores, context: CliContext, request: InitRequest): Promise<InitResult> {
  const clock = { now: context.now };
  const operator: Operator = { actor: 'operator:cli', correlationId: crypto.randomUUID(), causationId: 'calltrail init' };
  const operatorKeys = new OperatorKeys(stores.store, clock);
  const inForce = await operatorKeys.active();
  if (inForce.length > 0 && !request.rotate) throw keyExists(inForce.map((key) => key.prefix));

  const tenant = request.tenant;
  const existing = tenant ? await tenantNamed(stores.store, tenant.name) : null;
  if (tenant && existing && tenant.ownerEmail !== null && !existing.userEmails.includes(tenant.ownerEmail)) {
    throw new CliError(
      `a tenant named "${tenant.name}" already exists (account ${existing.accountId}) without a user ${tenant.ownerEmail}; ` +
        'nothing was changed. Choose another --tenant-name, or add the user with POST /api/v1/users as that tenant\'s owner.',
      EXIT.failedCheck,
    );
  }

  const issued = await operatorKeys.issue(operator, { rotate: request.rotate }).catch((error: unknown) => {
    // Another init won the race between our check and our append.
    if (error instanceof DomainError && error.code === 'OPERATOR_KEY_EXISTS') throw keyExists((error.details.prefixes as string[]) ?? []);
    throw error;
  });
  const operatorKey = { keyId: issued.keyId, key: issued.secret, prefix: issued.prefix, revoked: issued.revoked };
  if (!tenant) return { operatorKey, tenant: null, position: issued.position };
  if (existing) {
    return { operatorKey, tenant: { status: 'exists', accountId: existing.accountId, name: existing.name, ownerEmail: tenant.ownerEmail }, position: issued.position };
  }

  const password = tenant.ownerPassword ?? randomBytes(18).toString('base64url');
  const passwords = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N: frontDoorSettings(context.env ?? {}).scryptLog2N });
  const opened = await openTenant(new AccountService(stores.store, clock), passwords, operator, {
    name: tenant.name,
    defaultCountry: tenant.defaultCountry,
    currency: tenant.currency,
    timeZone: tenant.timeZone,
    plan: null,
    owner: tenant.ownerEmail === null ? null : { email: tenant.ownerEmail, name: tenant.ownerName, password },
  });
  const owner =
    opened.ownerId === null || tenant.ownerEmail === null
      ? null
      : { userId: opened.ownerId, email: tenant.ownerEmail, password, passwordGenerated: tenant.ownerPassword === null };
  return {
    operatorKey,
    tenant: { status: 'created', accountId: opened.accountId, name: tenant.name, keyId: opened.keyId, apiKey: opened.secret, owner },
    position: opened.position,
  };
}

function keyExists(prefixes: readonly string[]): CliError {
  return new CliError(
    `an operator key is already in force (${prefixes.map((prefix) => `${prefix}…`).join(', ')}); nothing was changed. ` +
      'Keys are stored only as hashes, so it cannot be shown again: run with --rotate to issue a new one (the old key stops working at once).',
    EXIT.failedCheck,
  );
}
