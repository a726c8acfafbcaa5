/**
 * Turns whatever the EventStoreDB client throws into the port's errors, so callers only ever see
 * WrongExpectedRevisionError, EventStoreUnavailableError, or a plain Error.
 */
import { ErrorType, WrongExpectedVersionError, isCommandError } from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from './port.ts';

/** gRPC status codes meaning "the server could not be reached or did not answer in time". */
const UNREACHABLE_GRPC_CODES = new Set([1 /* CANCELLED */, 4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */]);

const UNREACHABLE_TYPES = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

export function isUnreachable(error: unknown): boolean {
  if (error instanceof Error && isCommandError(error)) return UNREACHABLE_TYPES.has(error.type);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && UNREACHABLE_GRPC_CODES.has(code);
}

export function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function unavailable(where: string, error: unknown): EventStoreUnavailableError {
  return new EventStoreUnavailableError(`EventStoreDB at ${where} is unavailable: ${messageOf(error)}`, {
    cause: error,
  });
}

export type ErrorContext = {
  readonly operation: string;
  /** Redacted URL, for messages. */
  readonly where: string;
  readonly stream?: string;
  readonly expected?: ExpectedRevision;
};

export function toStoreError(error: unknown, context: ErrorContext): Error {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  if (error instanceof WrongExpectedVersionError && context.stream !== undefined && context.expected !== undefined) {
    const current = error.actualVersion;
    const actual = typeof current === 'bigint' ? current : -1n;
    return new WrongExpectedRevisionError(context.stream, context.expected, actual);
  }
  if (isUnreachable(error)) return unavailable(context.where, error);
  return new Error(`EventStoreDB ${context.operation} failed: ${messageOf(error)}`, { cause: error });
}
