import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { setRequestIds } from './context.ts';
import { runWithLogContext } from './log-context.ts';

/**
 * Request and correlation ids: taken from the client when they look like ids, generated otherwise,
 * and always echoed back. A malformed id is replaced rather than rejected: tracing must never be
 * the reason a call fails to be placed.
 */

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Printable, header- and log-safe characters only; long enough for uuids, ULIDs and trace ids. */
const ACCEPTABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$/;

export function acceptableId(value: string | undefined): string | null {
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : null;
}

export const requestIds: RequestHandler = (req, res, next) => {
  const requestId = acceptableId(req.get(REQUEST_ID_HEADER)) ?? randomUUID();
  const correlationId = acceptableId(req.get(CORRELATION_ID_HEADER)) ?? randomUUID();
  setRequestIds(res, { requestId, correlationId });
  res.set(REQUEST_ID_HEADER, requestId);
  res.set(CORRELATION_ID_HEADER, correlationId);
  runWithLogContext({ requestId, correlationId }, next);
};
