import type { Request, RequestHandler, Response } from 'express';
import { requestContextOf } from '../context.ts';
import type { Principal } from '../dependencies.ts';
import { HttpError } from '../errors.ts';
import type { RateLimitCheck, RateLimitDecision, RateLimitPort } from './port.ts';

/**
 * Per-credential rate limits: every authenticated API response carries X-RateLimit-Limit,
 * X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds when the window resets). Call creation
 * counts against a second, tighter bucket too, and its figures are the ones shown. Over the limit:
 * 429 RATE_LIMITED with Retry-After (seconds). Limits come from the account's plan, else defaults.
 */

export type RateLimitSettings = { port: RateLimitPort; generalPerMinute: number; callsPerMinute: number };

/** Paths, relative to /api/v1, that create calls. */
const CALL_CREATION = new Set(['/calls', '/calls/', '/calls/outbound', '/calls/outbound/']);

export function rateLimitKey(principal: Principal): string {
  if (principal.kind === 'operator') return 'operator';
  if (principal.keyId !== null) return `key:${principal.keyId}`;
  return `user:${principal.userId ?? principal.actor}`;
}

function setHeaders(res: Response, decision: RateLimitDecision, now: number): void {
  res.set('X-RateLimit-Limit', String(decision.limit));
  res.set('X-RateLimit-Remaining', String(decision.remaining));
  res.set('X-RateLimit-Reset', String(Math.ceil((now + decision.resetInMs) / 1000)));
}

export function rateLimited(decision: RateLimitDecision): HttpError {
  const retryAfter = Math.max(1, Math.ceil(decision.resetInMs / 1000));
  return new HttpError(
    429,
    'RATE_LIMITED',
    `Rate limit of ${decision.limit} requests per window exceeded; retry after ${retryAfter} s`,
    { limit: decision.limit, retry_after_seconds: retryAfter },
    { 'Retry-After': String(retryAfter) },
  );
}

export function rateLimit(settings: RateLimitSettings): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const { principal } = requestContextOf(res);
    const key = rateLimitKey(principal);
    const general = principal.limits?.generalPerMinute ?? settings.generalPerMinute;
    const checks: RateLimitCheck[] = [{ bucket: 'general', key, limit: general }];
    if (req.method === 'POST' && CALL_CREATION.has(req.path)) {
      checks.push({ bucket: 'calls', key, limit: principal.limits?.callsPerMinute ?? settings.callsPerMinute });
    }
    const { port } = settings;
    const decisions =
      checks.length > 1 && port.consumeAll !== undefined
        ? await port.consumeAll(checks)
        : await Promise.all(checks.map((check) => port.consume(check.bucket, check.key, check.limit)));
    const shown = decisions.at(-1)!;
    const refused = decisions.find((decision) => !decision.allowed);
    setHeaders(res, refused ?? shown, Date.now());
    if (refused) throw rateLimited(refused);
    next();
  };
}
