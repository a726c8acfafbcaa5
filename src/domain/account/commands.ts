import type { ApiKeyMode } from './events.ts';

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
    at: string;
  };
};

export type RevokeApiKey = {
  readonly type: 'RevokeApiKey';
  readonly data: { accountId: string; keyId: string; at: string };
};

export type AccountCommand = OpenAccount | IssueApiKey | RevokeApiKey;
