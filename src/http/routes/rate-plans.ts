import { Router } from 'express';
import type { BillingDependencies } from '../billing-dependencies.ts';
import { jsonBody } from '../body.ts';
import { methodNotAllowed } from '../errors.ts';
import { operatorContextOf, requireOperatorKey } from '../operator-auth.ts';
import { assignmentBody, parsePlanId, ratePlanBody, ratePlanNotFound, revisionBody } from '../schemas/billing.ts';
import { balanceView, ratePlanView } from '../views/billing.ts';

/**
 * Rate plans (operator only): create, read, revise (a new version from a time, never backwards),
 * and assign one to an account. Mounted before API-key authentication; every route takes the
 * operator key.
 */
export function ratePlansRouter(billing: BillingDependencies): Router {
  const router = Router();
  const operator = requireOperatorKey(billing);
  const body = jsonBody();

  router
    .route('/rate-plans')
    .get(operator, async (_req, res) => {
      const plans = await billing.ratePlans();
      res.json({
        data: plans.map((plan) => ({ id: plan.planId, name: plan.name, currency: plan.currency, latest_version: plan.latestVersion, created_at: plan.createdAt })),
      });
    })
    .post(operator, ...body, async (req, res) => {
      const input = ratePlanBody.parse(req.body ?? {});
      const plan = await billing.createRatePlan(operatorContextOf(res), input);
      res.status(201).location(`/api/v1/rate-plans/${plan.planId}`).json(ratePlanView(plan));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/rate-plans/:planId')
    .get(operator, async (req, res) => {
      const planId = parsePlanId(req.params.planId);
      const plan = await billing.ratePlan(planId);
      if (!plan) throw ratePlanNotFound(planId);
      res.json(ratePlanView(plan));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/rate-plans/:planId/versions')
    .post(operator, ...body, async (req, res) => {
      const planId = parsePlanId(req.params.planId);
      const input = revisionBody.parse(req.body ?? {});
      res.status(201).json(ratePlanView(await billing.reviseRatePlan(operatorContextOf(res), planId, input)));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/accounts/:accountId/rate-plan')
    .put(operator, ...body, async (req, res) => {
      const input = assignmentBody.parse(req.body ?? {});
      const balance = await billing.assignRatePlan(operatorContextOf(res), String(req.params.accountId), input);
      res.json({ account_id: req.params.accountId, plan_id: input.planId, effective_from: input.effectiveFrom, current_rate_plan: balanceView(balance).rate_plan });
    })
    .all(methodNotAllowed(['PUT']));

  return router;
}
