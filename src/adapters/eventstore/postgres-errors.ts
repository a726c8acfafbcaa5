import { EventStoreUnavailableError } from './port.ts';

// Node socket failures, and SQLSTATE classes 08 (connection) and 57P (server shutting down).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH']);

export const UNIQUE_VIOLATION = '23505';

export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isUnavailable(error: unknown): boolean {
  const code = sqlStateOf(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
  const message = error instanceof Error ? error.message : '';
  // pg's wording when the pool or client has been shut down or the socket vanished.
  return /Connection terminated|after calling end|Client has encountered a connection error|PGlite is closed/i.test(message);
}

/** Driver errors stop here: connection trouble becomes EventStoreUnavailableError, the rest pass. */
export function mapDriverError(error: unknown): unknown {
  if (error instanceof EventStoreUnavailableError) return error;
  if (isUnavailable(error)) return new EventStoreUnavailableError('event store database unavailable', { cause: error });
  return error;
}
