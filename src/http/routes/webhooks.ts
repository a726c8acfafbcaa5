import { Router, type Response } from 'express';
import { webhookNotFound } from '../../domain/webhook/endpoint.ts';
import { requestContextOf } from '../context.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { createWebhookBody, deliveriesQuery, replayBody, updateWebhookBody, webhookIdParam } from '../schemas/webhooks.ts';
import { pagination } from '../views/contacts.ts';
import { webhookDeliveryView, webhookEndpointView } from '../views/webhooks.ts';
import type { WebhooksDependencies } from '../webhooks-dependencies.ts';

/**
 * /api/v1/webhooks: endpoints managed by API, their delivery log, redelivery and replay. The
 * secret is in the answer to POST and to rotate-secret only. Another tenant's endpoint is 404.
 */

export const WEBHOOKS_PATH = '/api/v1/webhooks';

function featureOf(deps: { webhooks?: WebhooksDependencies }): WebhooksDependencies {
  if (!deps.webhooks) throw new HttpError(404, 'NOT_FOUND', 'Webhooks are not enabled');
  return deps.webhooks;
}

/** The endpoint id of the path; a malformed one names nothing, so it is 404 like a foreign one. */
function endpointIdOf(raw: unknown): string {
  const parsed = webhookIdParam.safeParse(raw);
  if (!parsed.success) throw webhookNotFound(String(raw));
  return parsed.data.toLowerCase();
}

const tenantOf = (res: Response) => requestContextOf(res).principal.tenantId;

export function webhooksRouter(deps: { webhooks?: WebhooksDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .get(async (_req, res) => {
      const endpoints = await featureOf(deps).list(tenantOf(res));
      res.json({ data: endpoints.map(webhookEndpointView) });
    })
    .post(async (req, res) => {
      const { endpoint, secret } = await featureOf(deps).create(requestContextOf(res), createWebhookBody.parse(req.body ?? {}));
      res.status(201).location(`${WEBHOOKS_PATH}/${endpoint.endpointId}`).json({ ...webhookEndpointView(endpoint), secret });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const id = endpointIdOf(req.params.id);
      const endpoint = await featureOf(deps).get(tenantOf(res), id);
      if (!endpoint) throw webhookNotFound(id);
      res.json(webhookEndpointView(endpoint));
    })
    .patch(async (req, res) => {
      const id = endpointIdOf(req.params.id);
      const endpoint = await featureOf(deps).update(requestContextOf(res), id, updateWebhookBody.parse(req.body ?? {}));
      res.json(webhookEndpointView(endpoint));
    })
    .delete(async (req, res) => {
      await featureOf(deps).remove(requestContextOf(res), endpointIdOf(req.params.id));
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));

  router
    .route('/:id/rotate-secret')
    .post(async (req, res) => {
      const rotated = await featureOf(deps).rotateSecret(requestContextOf(res), endpointIdOf(req.params.id));
      res.json({ ...webhookEndpointView(rotated.endpoint), secret: rotated.secret, previous_secret_valid_until: rotated.previousValidUntil });
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/:id/deliveries')
    .get(async (req, res) => {
      const query = deliveriesQuery.parse(req.query);
      const { rows, total } = await featureOf(deps).deliveries(tenantOf(res), endpointIdOf(req.params.id), query);
      res.json({ data: rows.map(webhookDeliveryView), pagination: pagination(query.page, query.perPage, total) });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/deliveries/:deliveryId/redeliver')
    .post(async (req, res) => {
      const delivery = await featureOf(deps).redeliver(requestContextOf(res), endpointIdOf(req.params.id), String(req.params.deliveryId));
      res.status(202).json(webhookDeliveryView(delivery));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/:id/replay')
    .post(async (req, res) => {
      const range = replayBody.parse(req.body ?? {});
      const report = await featureOf(deps).replay(requestContextOf(res), endpointIdOf(req.params.id), range);
      res.status(202).json({ count: report.count, event_ids: report.eventIds, delivery_ids: report.deliveryIds });
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
