import { Router } from 'express';
import type { BillingDependencies } from '../billing-dependencies.ts';
import { jsonBody } from '../body.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import { operatorContextOf, requireOperatorKey } from '../operator-auth.ts';
import { adjustmentBody, dailyUsageQuery, purchaseBody, thresholdBody, usageQuery } from '../schemas/billing.ts';
import { balanceView, chargeView, moneyView } from '../views/billing.ts';

/** GET /api/v1/credits/usage: the account's charges in a date range, newest first, with totals. Behind API-key auth. */
export function creditsUsageRouter(billing: BillingDependencies): Router {
  const router = Router();
  router
    .route('/credits/usage')
    .get(async (req, res) => {
      const query = usageQuery.parse(req.query);
      const usage = await billing.usage(requestContextOf(res).principal.tenantId, query);
      res.json({
        data: usage.rows.map(chargeView),
        totals: {
          calls: usage.total,
          amount: moneyView(usage.totals.amountMinor, usage.currency),
          billed_seconds: usage.totals.billedSeconds,
          billable_ms: usage.totals.billableMs,
        },
        range: { from: query.from, to: query.to },
        pagination: { page: query.page, per_page: query.perPage, total: usage.total, total_pages: Math.ceil(usage.total / query.perPage) },
      });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/credits/usage/daily')
    .get(async (req, res) => {
      const query = dailyUsageQuery.parse(req.query);
      const usage = await billing.dailyUsage(requestContextOf(res).principal.tenantId, query.from ?? null, query.to ?? null);
      res.json({
        data: usage.days.map((day) => ({ date: day.date, calls: day.calls, amount: moneyView(day.amountMinor, usage.currency), billed_seconds: day.billedSeconds })),
        range: { from: usage.range.from, to: usage.range.to, days: usage.days.length },
      });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

/**
 * The operator's side of credits, mounted before API-key authentication because it takes the
 * operator key instead: POST /credits/purchase records a payment received (no payment gateway);
 * adjustments and the low-balance threshold are per account.
 */
export function operatorCreditsRouter(billing: BillingDependencies): Router {
  const router = Router();
  const operator = [requireOperatorKey(billing), ...jsonBody()];

  router
    .route('/credits/purchase')
    .post(...operator, async (req, res) => {
      const input = purchaseBody.parse(req.body ?? {});
      const result = await billing.purchase(operatorContextOf(res), input);
      res.status(result.recorded ? 201 : 200).json({ recorded: result.recorded, reference: input.reference, account_id: input.accountId, ...balanceView(result.balance) });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/accounts/:accountId/credit-adjustments')
    .post(...operator, async (req, res) => {
      const input = adjustmentBody.parse(req.body ?? {});
      const result = await billing.adjust(operatorContextOf(res), String(req.params.accountId), input);
      res.status(201).json({ adjustment_id: result.adjustmentId, account_id: req.params.accountId, ...balanceView(result.balance) });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/accounts/:accountId/low-balance-threshold')
    .put(...operator, async (req, res) => {
      const input = thresholdBody.parse(req.body ?? {});
      const balance = await billing.setLowBalanceThreshold(operatorContextOf(res), String(req.params.accountId), input.threshold_minor);
      res.json({ account_id: req.params.accountId, ...balanceView(balance) });
    })
    .all(methodNotAllowed(['PUT']));

  return router;
}
