import type { CallingHoursPolicy } from '../shared/calling-hours.ts';
import type { AccountEventOf } from './events.ts';

export type AccountProfile = AccountEventOf<'AccountOpened'>['data'];

export type ApiKey = Omit<AccountEventOf<'ApiKeyIssued'>['data'], 'accountId'> & {
  readonly revokedAt: string | null;
};

export type User = Omit<AccountEventOf<'UserAdded'>['data'], 'accountId' | 'addedAt'> & {
  readonly addedAt: string;
  readonly removedAt: string | null;
};

export type Plan = Omit<AccountEventOf<'AccountPlanChanged'>['data'], 'accountId' | 'changedAt'>;

export const DEFAULT_PLAN: Plan = { plan: 'default', generalPerMinute: null, callsPerMinute: null };

export type AccountState =
  | { readonly status: 'Initial' }
  | {
      readonly status: 'Open';
      readonly profile: AccountProfile;
      /** By keyId. A Map, so a key id can never collide with an object's own properties. */
      readonly keys: ReadonlyMap<string, ApiKey>;
      /** By userId; removed users stay (with removedAt) so their ids are never reused. */
      readonly users: ReadonlyMap<string, User>;
      readonly plan: Plan;
      /** Ceiling for calls that name none; null = the engine's default. */
      readonly maxCallDurationSeconds: number | null;
      /** When its calls may reach a callee; null = any time. */
      readonly callingHours: CallingHoursPolicy | null;
    };

export function initialAccountState(): AccountState {
  return { status: 'Initial' };
}
