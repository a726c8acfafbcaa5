import type { RequestHandler, Response } from 'express';
import type { BillingDependencies, OperatorContext } from './billing-dependencies.ts';
import { requestIdsOf } from './context.ts';
import { HttpError } from './errors.ts';

/**
 * Operator-only routes (top-ups, adjustments, rate plans) take the operator's admin key as
 * `Authorization: Bearer <key>`, never an account's API key. Until the operator admin keys of the
 * front door exist, that key is OPERATOR_API_KEY_HASH's or one issued by `calltrail init`; without
 * either these routes refuse everyone.
 */

const OPERATOR = Symbol('calltrail.operator');

function operatorUnauthorized(): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', 'An operator API key is required for this endpoint', {}, { 'WWW-Authenticate': 'Bearer realm="calltrail-operator"' });
}

export function requireOperatorKey(billing: Pick<BillingDependencies, 'isOperator'>): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{8,512})$/i.exec(header.trim());
    if (!match || !(await billing.isOperator(match[1]!))) {
      next(operatorUnauthorized());
      return;
    }
    const ids = requestIdsOf(res);
    const context: OperatorContext = {
      actor: 'operator:config-key',
      correlationId: ids.correlationId ?? crypto.randomUUID(),
      requestId: ids.requestId ?? crypto.randomUUID(),
    };
    (res.locals as Record<symbol, unknown>)[OPERATOR] = context;
    next();
  };
}

export function operatorContextOf(res: Response): OperatorContext {
  const context = (res.locals as Record<symbol, unknown>)[OPERATOR] as OperatorContext | undefined;
  if (!context) throw new Error('operatorContextOf used on a route without operator authentication');
  return context;
}
