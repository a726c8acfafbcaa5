import type { AccountEventOf } from './events.ts';

export type AccountProfile = AccountEventOf<'AccountOpened'>['data'];

export type ApiKey = Omit<AccountEventOf<'ApiKeyIssued'>['data'], 'accountId'> & {
  readonly revokedAt: string | null;
};

export type AccountState =
  | { readonly status: 'Initial' }
  | {
      readonly status: 'Open';
      readonly profile: AccountProfile;
      /** By keyId. A Map, so a key id can never collide with an object's own properties. */
      readonly keys: ReadonlyMap<string, ApiKey>;
    };

export function initialAccountState(): AccountState {
  return { status: 'Initial' };
}
