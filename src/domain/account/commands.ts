import type { CallingHoursPolicy } from '../shared/calling-hours.ts';
import type { ApiKeyMode, Role } from './events.ts';

/** Who acts on an account's users: one of its own roles, or the operator running calltrail. */
export type Acting = Role | 'operator';

/** Commands to an account. `at` comes from the injected clock in the command handler. */
export type OpenAccount = {
  readonly type: 'OpenAccount';
  readonly data: {
    accountId: string;
    name: string;
    defaultCountry: string;
    currency: string;
    timeZone: string;
    at: string;
  };
};

/**
 * The handler generates the secret, shows it to the caller once, and sends only its hash and
 * display prefix here, so the secret never reaches the event store.
 */
export type IssueApiKey = {
  readonly type: 'IssueApiKey';
  readonly data: {
    accountId: string;
    keyId: string;
    name: string;
    prefix: string;
    keyHash: string;
    mode: ApiKeyMode;
    scopes: string[];
    /** The role the key acts with; defaults to 'owner' (full access), as keys had before roles. */
    role?: Role;
    at: string;
  };
};

export type RevokeApiKey = {
  readonly type: 'RevokeApiKey';
  readonly data: { accountId: string; keyId: string; at: string };
};

export type ChangeAccountSettings = {
  readonly type: 'ChangeAccountSettings';
  readonly data: { accountId: string; name?: string; defaultCountry?: string; timeZone?: string; at: string };
};

export type ChangeCallDefaults = {
  readonly type: 'ChangeCallDefaults';
  readonly data: { accountId: string; maxCallDurationSeconds: number | null; at: string };
};

export type ChangeCallingHours = {
  readonly type: 'ChangeCallingHours';
  readonly data: { accountId: string; callingHours: CallingHoursPolicy | null; at: string };
};

export type ChangeAccountPlan = {
  readonly type: 'ChangeAccountPlan';
  readonly data: {
    accountId: string;
    plan: string;
    generalPerMinute: number | null;
    callsPerMinute: number | null;
    at: string;
  };
};

/** The password arrives already hashed: a clear password never reaches the decider or the log. */
export type AddUser = {
  readonly type: 'AddUser';
  readonly data: {
    accountId: string;
    userId: string;
    email: string;
    name: string;
    role: Role;
    passwordHash: string;
    by: Acting;
    at: string;
  };
};

export type ChangeUserRole = {
  readonly type: 'ChangeUserRole';
  readonly data: { accountId: string; userId: string; role: Role; by: Acting; at: string };
};

export type ChangeUserPassword = {
  readonly type: 'ChangeUserPassword';
  readonly data: { accountId: string; userId: string; passwordHash: string; at: string };
};

export type RemoveUser = {
  readonly type: 'RemoveUser';
  readonly data: { accountId: string; userId: string; by: Acting; at: string };
};

export type AccountCommand =
  | OpenAccount
  | IssueApiKey
  | RevokeApiKey
  | ChangeAccountSettings
  | ChangeAccountPlan
  | ChangeCallDefaults
  | ChangeCallingHours
  | AddUser
  | ChangeUserRole
  | ChangeUserPassword
  | RemoveUser;
