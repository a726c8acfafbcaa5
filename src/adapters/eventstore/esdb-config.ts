/**
 * Checks an EventStoreDB connection string before anything dials it, so a typo in configuration
 * fails at startup with a message that names the problem instead of as a timeout later.
 */

/** The event store's configuration cannot work, whatever the state of the network. */
export class EventStoreConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreConfigError';
  }
}

export type EsdbSettings = {
  /** Bound for the startup check and for ping(); an unreachable server must not hang startup. */
  readonly connectTimeoutMs: number;
  /** First wait before a dropped subscription reconnects; doubles on each failure up to the max. */
  readonly reconnectInitialDelayMs: number;
  readonly reconnectMaxDelayMs: number;
};

export const DEFAULT_ESDB_SETTINGS: EsdbSettings = Object.freeze({
  connectTimeoutMs: 5_000,
  reconnectInitialDelayMs: 100,
  reconnectMaxDelayMs: 5_000,
});

const SCHEMES = ['esdb://', 'esdb+discover://'];

/** Never print a password from a connection string into logs or error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^@/?]*@/i, '$1***@');
}

/**
 * Rejects what the driver would reject, with our own error. The driver's own parser judges the fine
 * print (options, ports): `parse` builds the client from the URL and its result is returned.
 */
export function validateEsdbUrl<Client>(url: unknown, parse: (url: string) => Client): Client {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new EventStoreConfigError('EventStoreDB URL is missing: expected esdb://host:port?tls=false or similar');
  }
  const shown = redactUrl(url);
  const scheme = SCHEMES.find((candidate) => url.toLowerCase().startsWith(candidate));
  if (!scheme) {
    throw new EventStoreConfigError(`EventStoreDB URL "${shown}" must start with esdb:// or esdb+discover://`);
  }
  const authority = url.slice(scheme.length).split(/[/?]/, 1)[0] ?? '';
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  if (hosts === '' || hosts.split(',').some((host) => host.trim() === '' || host.startsWith(':'))) {
    throw new EventStoreConfigError(`EventStoreDB URL "${shown}" names no host`);
  }
  try {
    return parse(url);
  } catch (error) {
    throw new EventStoreConfigError(`EventStoreDB URL "${shown}" is malformed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
