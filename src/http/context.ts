import type { Response } from 'express';
import type { Principal, RequestContext } from './dependencies.ts';

/**
 * Typed access to what middleware stores on `res.locals`, so routes never reach into an
 * untyped bag and a missing step (e.g. auth not mounted) fails loudly instead of silently.
 */

export type RequestIds = { requestId: string; correlationId: string };

const IDS = Symbol('calltrail.requestIds');
const PRINCIPAL = Symbol('calltrail.principal');

type Locals = { [IDS]?: RequestIds; [PRINCIPAL]?: Principal };

const localsOf = (res: Response): Locals => res.locals as Locals;

export function setRequestIds(res: Response, ids: RequestIds): void {
  localsOf(res)[IDS] = ids;
}

/** Empty when the id middleware has not run (only possible for errors raised before it). */
export function requestIdsOf(res: Response): Partial<RequestIds> {
  return localsOf(res)[IDS] ?? {};
}

export function setPrincipal(res: Response, principal: Principal): void {
  localsOf(res)[PRINCIPAL] = principal;
}

export function requestContextOf(res: Response): RequestContext {
  const locals = localsOf(res);
  const ids = locals[IDS];
  const principal = locals[PRINCIPAL];
  if (!ids || !principal) throw new Error('requestContextOf used on a route without ids and authentication');
  return { principal, requestId: ids.requestId, correlationId: ids.correlationId };
}
