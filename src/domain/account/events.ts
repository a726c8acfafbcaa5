import { z } from 'zod';
import { CallingHoursPolicySchema } from '../shared/calling-hours.ts';

/**
 * The account's events: one zod schema each, the contract for storage and the accounts read
 * model. An API key's secret never appears here — only its sha-256 and a short display prefix.
 */

const instant = z.iso.datetime({ offset: true });

export const API_KEY_MODES = ['live', 'test'] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];

/** What a user (or a key issued for one) may do: owner and admin manage keys and users; developer uses the API. */
export const ROLES = ['owner', 'admin', 'developer'] as const;
export type Role = (typeof ROLES)[number];

const perMinute = z.number().int().min(1).max(1_000_000).nullable();

export const AccountOpened = z.object({
  accountId: z.string().min(1),
  name: z.string().min(1).max(200),
  /** ISO 3166 alpha-2: how national phone numbers typed by this account are read. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  /** ISO 4217: the currency the account is billed in. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** IANA zone, e.g. 'Asia/Karachi', for the account's reports and calling windows. */
  timeZone: z.string().min(1),
  openedAt: instant,
});

export const ApiKeyIssued = z.object({
  keyId: z.string().min(1),
  accountId: z.string().min(1),
  name: z.string().min(1).max(200),
  /** What people see to tell keys apart, e.g. 'ct_live_ab12'. Not enough to authenticate. */
  prefix: z.string().regex(/^ct_(live|test)_[A-Za-z0-9]{4,16}$/),
  /** Lowercase hex sha-256 of the whole secret. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  mode: z.enum(API_KEY_MODES),
  scopes: z.array(z.string().min(1)),
  /** Absent on keys issued before roles existed: those had full access, and read as 'owner'. */
  role: z.enum(ROLES).optional(),
  issuedAt: instant,
});

export const ApiKeyRevoked = z.object({
  keyId: z.string().min(1),
  revokedAt: instant,
});

/** Settings a tenant may change later. The currency is fixed at opening: balances are kept in it. */
export const AccountSettingsChanged = z.object({
  accountId: z.string().min(1),
  name: z.string().min(1).max(200),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  timeZone: z.string().min(1),
  changedAt: instant,
});

/** Set by the operator: the plan's name and its rate limits (null = the operator's default). */
export const AccountPlanChanged = z.object({
  accountId: z.string().min(1),
  plan: z.string().min(1).max(64),
  generalPerMinute: perMinute,
  callsPerMinute: perMinute,
  changedAt: instant,
});

/**
 * The account's default ceiling for a call that names none (null = the operator's engine default).
 * The ARI watchdog ends calls there, and the prepaid hold is sized for it.
 */
export const CallDefaultsChanged = z.object({
  accountId: z.string().min(1),
  maxCallDurationSeconds: z.number().int().min(1).max(14_400).nullable(),
  changedAt: instant,
});

/** When the account's calls may reach a callee (null = no restriction): see shared/calling-hours.ts. */
export const CallingHoursChanged = z.object({
  accountId: z.string().min(1),
  callingHours: CallingHoursPolicySchema.nullable(),
  changedAt: instant,
});

/** A person who can log in. Only a memory-hard hash of the password is kept (scrypt, self-describing). */
export const UserAdded = z.object({
  accountId: z.string().min(1),
  userId: z.string().min(1),
  email: z.string().min(3).max(254),
  name: z.string().max(200),
  role: z.enum(ROLES),
  passwordHash: z.string().regex(/^scrypt\$/),
  addedAt: instant,
});

export const UserRoleChanged = z.object({
  userId: z.string().min(1),
  role: z.enum(ROLES),
  changedAt: instant,
});

export const UserPasswordChanged = z.object({
  userId: z.string().min(1),
  passwordHash: z.string().regex(/^scrypt\$/),
  changedAt: instant,
});

export const UserRemoved = z.object({
  userId: z.string().min(1),
  removedAt: instant,
});

export const accountEventSchemas = {
  AccountOpened,
  ApiKeyIssued,
  ApiKeyRevoked,
  AccountSettingsChanged,
  AccountPlanChanged,
  CallDefaultsChanged,
  CallingHoursChanged,
  UserAdded,
  UserRoleChanged,
  UserPasswordChanged,
  UserRemoved,
} as const;

export type AccountEventType = keyof typeof accountEventSchemas;

export type AccountEvent = {
  [K in AccountEventType]: { readonly type: K; readonly data: z.infer<(typeof accountEventSchemas)[K]> };
}[AccountEventType];

export type AccountEventOf<K extends AccountEventType> = Extract<AccountEvent, { type: K }>;

export const CURRENT_SCHEMA_VERSION: Record<AccountEventType, number> = {
  AccountOpened: 1,
  ApiKeyIssued: 1,
  ApiKeyRevoked: 1,
  AccountSettingsChanged: 1,
  AccountPlanChanged: 1,
  CallDefaultsChanged: 1,
  CallingHoursChanged: 1,
  UserAdded: 1,
  UserRoleChanged: 1,
  UserPasswordChanged: 1,
  UserRemoved: 1,
};

export function isAccountEventType(type: string): type is AccountEventType {
  return Object.hasOwn(accountEventSchemas, type);
}
