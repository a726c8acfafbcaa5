import { Router } from 'express';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { jsonBody } from '../body.ts';
import { encodePosition } from '../consistency/position-token.ts';
import { methodNotAllowed } from '../errors.ts';
import type { OperatorDependencies } from '../operator-dependencies.ts';
import { requireOperatorKey } from '../operator-auth.ts';
import { accountAuditQuery, VERIFY_DEFAULT_EVENTS, verifyBody } from '../schemas/operator.ts';

export const OPERATOR_PATH = '/api/v1/operator';

const token = (position: GlobalPosition | null) => (position ? encodePosition(position) : null);
/** Audit reports hold bigint revisions; JSON has no bigint. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));

/**
 * The console's operator pages: what `calltrail` tells an operator at the terminal, over HTTP.
 * Mounted before tenant authentication, each route behind the operator key: a tenant's key or
 * login is refused with the same 401 as every operator route gives it.
 */
export function operatorRouter(operator: OperatorDependencies): Router {
  const router = Router();
  const onlyOperator = requireOperatorKey(operator);

  router
    .route('/health')
    .get(onlyOperator, async (_req, res) => {
      const health = await operator.health();
      res.json({
        status: health.ok ? 'ok' : 'degraded',
        database: health.database,
        event_store: { ok: health.eventStore.ok, ...(health.eventStore.detail ? { detail: health.eventStore.detail } : {}), head: token(health.eventStore.head) },
        telephony: health.telephony,
        projections: health.consumers.map((consumer) => ({
          name: consumer.name,
          kind: consumer.kind,
          position: token(consumer.position),
          lag_events: consumer.behind,
          lag_capped: consumer.capped,
        })),
      });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/verify')
    .post(onlyOperator, ...jsonBody(), async (req, res) => {
      const body = verifyBody.parse(req.body ?? {});
      const outcome = await operator.verify({ stream: body.stream ?? null, maxEvents: body.max_events ?? VERIFY_DEFAULT_EVENTS });
      res.json({
        verdict: outcome.verdict,
        events_checked: outcome.checked,
        streams_checked: outcome.streams,
        max_events: outcome.limit,
        first_break: outcome.firstBroken && { ...outcome.firstBroken, position: token(outcome.firstBroken.position) },
      });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/accounts/:id/audit')
    .get(onlyOperator, async (req, res) => {
      const query = accountAuditQuery.parse(req.query);
      res.json(plain(await operator.accountAudit(String(req.params.id), query.from, query.to)));
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
