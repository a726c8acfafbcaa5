import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, NotFoundError } from '../domain/shared/errors.ts';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../adapters/eventstore/port.ts';
import { TelephonyUnavailableError } from '../adapters/telephony/port.ts';
import { AudioToolUnavailableError } from '../adapters/audio-transcoder/port.ts';
import type { Logger } from './dependencies.ts';
import { requestIdsOf } from './context.ts';

/**
 * The one place errors become HTTP responses. Routes throw; this module decides the status and
 * renders `{"error":{"code","message","details"}}`, so every failure looks the same to clients.
 */

/** An error that already knows its HTTP status: thrown by the HTTP layer itself (auth, routing). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Domain codes whose status is not the DomainError default (422). NotFoundError is always 404. */
const DOMAIN_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_ERROR: 422,
  INVALID_PHONE_NUMBER: 422,
  INVALID_STATE_TRANSITION: 409,
  CALL_ALREADY_EXISTS: 409,
  SCHEDULED_CALL_RELEASED: 409,
  INSUFFICIENT_BALANCE: 402,
  VERIFY_RUNNING: 409,
  // A daily usage range longer than a request may ask for.
  RANGE_TOO_LARGE: 400,
  // Billing: a top-up reference reused for another amount, a plan id taken.
  DEPOSIT_REFERENCE_IN_USE: 409,
  RATE_PLAN_ALREADY_EXISTS: 409,
  AUDIO_NOT_READY: 409,
  AUDIO_IN_USE: 409,
  AUDIO_ALREADY_EXISTS: 409,
  CAMPAIGN_ALREADY_EXISTS: 409,
  // Accounts, users and keys (the front door).
  FORBIDDEN: 403,
  USER_EMAIL_TAKEN: 409,
  USER_ALREADY_EXISTS: 409,
  LAST_OWNER: 409,
  ACCOUNT_ALREADY_EXISTS: 409,
  API_KEY_ALREADY_EXISTS: 409,
  // Contacts: one contact per number per tenant; a CSV over the size or row limit.
  CONTACT_ALREADY_EXISTS: 409,
  CONTACT_LIST_ALREADY_EXISTS: 409,
  CONTACT_ID_IN_USE: 409,
  CSV_TOO_LARGE: 413,
  CSV_TOO_MANY_ROWS: 413,
  // Do-not-call: a listed number is refused as ZeroVoice refuses it; only the operator lifts its own entries.
  DNC_LISTED: 451,
  DNC_ENTRY_OPERATOR_WIDE: 403,
  WEBHOOK_ALREADY_EXISTS: 409,
};

export function statusForDomainError(error: DomainError): number {
  if (error instanceof NotFoundError || error.code.endsWith('_NOT_FOUND')) return 404;
  return DOMAIN_STATUS[error.code] ?? 422;
}

export type Problem = {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
  headers: Record<string, string>;
  /** True when the cause is ours, not the client's: log it and show nothing of it. */
  unexpected: boolean;
};

const problem = (status: number, code: string, message: string, details: Record<string, unknown> = {}): Problem => ({
  status,
  code,
  message,
  details,
  headers: {},
  unexpected: false,
});

export type ValidationIssue = { path: string; message: string };

/** Flattens zod issues; an unknown-keys issue becomes one issue per key, so each is named. */
export function validationIssues(error: ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Unknown field' }));
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}

/** body-parser reports its failures as http-errors with a `type`; these are the ones clients cause. */
const BODY_PARSER_PROBLEMS: Readonly<Record<string, [number, string, string]>> = {
  'entity.parse.failed': [400, 'INVALID_JSON', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'],
  'charset.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported charset'],
  'encoding.unsupported': [415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding'],
  'request.aborted': [400, 'BAD_REQUEST', 'The request was aborted'],
  'request.size.invalid': [400, 'BAD_REQUEST', 'The request body does not match its Content-Length'],
};

function bodyParserType(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  return typeof error.type === 'string' ? error.type : null;
}

/**
 * body-parser hands a failed gunzip/inflate/brotli through as the decompressor's own error, with
 * status 400 but no `type`: a body that claims an encoding it does not have. Node's zlib names
 * those `Z_…` (gzip, deflate) or `ERR_…` (brotli, zstd) and sets `errno`.
 */
function isUndecodableBody(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code, errno } = error as { status?: unknown; code?: unknown; errno?: unknown };
  return status === 400 && typeof code === 'string' && /^(Z_|ERR_)/.test(code) && typeof errno === 'number';
}

export function toProblem(error: unknown): Problem {
  if (error instanceof HttpError) {
    return { ...problem(error.status, error.code, error.message, error.details), headers: error.headers };
  }
  if (error instanceof ZodError) {
    return problem(422, 'VALIDATION_ERROR', 'The request is invalid', { issues: validationIssues(error) });
  }
  if (error instanceof DomainError) {
    return problem(statusForDomainError(error), error.code, error.message, error.details);
  }
  if (error instanceof WrongExpectedRevisionError) {
    return problem(409, 'CONFLICT', 'The resource was changed by another request; retry');
  }
  if (error instanceof EventStoreUnavailableError) {
    return problem(503, 'EVENT_STORE_UNAVAILABLE', 'The event store is unavailable; retry later');
  }
  if (error instanceof AudioToolUnavailableError) {
    // Logged (unexpected): the operator has to install the tool.
    return {
      ...problem(503, 'AUDIO_PROCESSING_UNAVAILABLE', 'Audio uploads cannot be processed: the server is missing its audio tool (ffmpeg). Ask the operator to install it.'),
      unexpected: true,
    };
  }
  if (error instanceof TelephonyUnavailableError) {
    return problem(503, 'TELEPHONY_UNAVAILABLE', 'Telephony is unavailable; retry later');
  }
  const parserProblem = BODY_PARSER_PROBLEMS[bodyParserType(error) ?? ''];
  if (parserProblem) return problem(...parserProblem);
  // The router could not percent-decode a path parameter (`/calls/%`): the client's path is malformed.
  if (error instanceof URIError) return problem(400, 'INVALID_PATH', 'The request path is not valid percent-encoding');
  if (isUndecodableBody(error)) {
    return problem(400, 'INVALID_BODY_ENCODING', 'The request body could not be decoded with its Content-Encoding');
  }
  return { ...problem(500, 'INTERNAL_ERROR', 'An internal error occurred'), unexpected: true };
}

function describeForLog(error: unknown): object {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}

export function errorHandler(logger: Logger | undefined): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const rendered = toProblem(error);
    const ids = requestIdsOf(res);
    if (rendered.unexpected) {
      // req.path, not req.originalUrl: query strings are the client's and may carry secrets.
      logger?.error('unhandled error', { ...ids, method: req.method, path: req.path, error: describeForLog(error) });
    }
    res.set(rendered.headers);
    res.status(rendered.status).json({
      error: { code: rendered.code, message: rendered.message, details: rendered.details },
    });
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new HttpError(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** Terminates a route's method list: OPTIONS answers with Allow, anything else is a 405. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, res) => {
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `Method ${req.method} is not allowed here`, { allowed });
  };
}
