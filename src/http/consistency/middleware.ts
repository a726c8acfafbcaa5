import type { RequestHandler } from 'express';
import { HttpError } from '../errors.ts';
import { decodePosition, encodePosition } from './position-token.ts';
import type { ConsistencyPort } from './port.ts';

/**
 * Read-your-writes (README, "Reading your own writes"). A command's answer names the log position
 * its events reached; a read that presents it waits, bounded, until the read models have applied
 * it. When the bound passes the read is answered anyway, marked stale: a slow projection should
 * slow a client down, not fail it, and GET /calls/:id still finds a new call from its stream.
 */

export const POSITION_HEADER = 'Calltrail-Position';
export const CONSISTENCY_HEADER = 'Calltrail-Consistency';

/**
 * Names the position of the request's last append on its answer, whatever the status. Set as the
 * append happens, so it is in place before any answer starts (and in what idempotency stores).
 */
export function recordWrites(port: ConsistencyPort): RequestHandler {
  return (_req, res, next) => {
    port.recordAppends(next, (highest) => {
      if (!res.headersSent) res.set(POSITION_HEADER, encodePosition(highest));
    });
  };
}

/** For reads that present a position: waits for the read models, at most `port.waitMs`. */
export function waitForPosition(port: ConsistencyPort): RequestHandler {
  return async (req, res, next) => {
    const token = req.get(POSITION_HEADER);
    if (token === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const position = decodePosition(token.trim());
    if (!position) {
      throw new HttpError(400, 'INVALID_POSITION', `${POSITION_HEADER} must be a token from a previous answer's ${POSITION_HEADER} header`, {
        header: POSITION_HEADER,
      });
    }
    const reached = await port.readModelsReached(position, port.waitMs);
    res.set(CONSISTENCY_HEADER, reached ? 'current' : 'stale');
    next();
  };
}
