import { Router, type RequestHandler } from 'express';
import type { BillingDependencies } from '../billing-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import { balanceView } from '../views/billing.ts';

/**
 * GET /api/v1/balance (ZensCall) and its alias GET /api/v1/credits/balance (OutboundCalls.ai): the
 * balance, what is available after open reservations, and the rates of the account's plan.
 * Mounted behind API-key authentication.
 */
export function balanceRouter(billing: BillingDependencies): Router {
  const router = Router();
  const show: RequestHandler = async (_req, res) => {
    res.json(balanceView(await billing.balance(requestContextOf(res).principal.tenantId)));
  };
  router.route('/balance').get(show).all(methodNotAllowed(['GET']));
  router.route('/credits/balance').get(show).all(methodNotAllowed(['GET']));
  return router;
}
