import { z } from 'zod';

/**
 * The account's events: one zod schema each, the contract for storage and the accounts read
 * model. An API key's secret never appears here — only its sha-256 and a short display prefix.
 */

const instant = z.iso.datetime({ offset: true });

export const API_KEY_MODES = ['live', 'test'] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];

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
  issuedAt: instant,
});

export const ApiKeyRevoked = z.object({
  keyId: z.string().min(1),
  revokedAt: instant,
});

export const accountEventSchemas = { AccountOpened, ApiKeyIssued, ApiKeyRevoked } as const;

export type AccountEventType = keyof typeof accountEventSchemas;

export type AccountEvent = {
  [K in AccountEventType]: { readonly type: K; readonly data: z.infer<(typeof accountEventSchemas)[K]> };
}[AccountEventType];

export type AccountEventOf<K extends AccountEventType> = Extract<AccountEvent, { type: K }>;

export const CURRENT_SCHEMA_VERSION: Record<AccountEventType, number> = {
  AccountOpened: 1,
  ApiKeyIssued: 1,
  ApiKeyRevoked: 1,
};

export function isAccountEventType(type: string): type is AccountEventType {
  return Object.hasOwn(accountEventSchemas, type);
}
