import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { AppDependencies } from '../dependencies.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import { callNotFound, listCallsQuery, parseCallId, placeCallBody } from '../schemas/calls.ts';
import { callView, callWithTimelineView } from '../views/call.ts';
import { chargeView } from '../views/billing.ts';
import { addToLogContext } from '../log-context.ts';

/**
 * /api/v1/calls. Mounted behind authentication and the JSON body parser; every read is scoped to
 * the caller's tenant, and another tenant's call is indistinguishable from a missing one.
 */

export const CALLS_PATH = '/api/v1/calls';

export const callLocation = (callId: string): string => `${CALLS_PATH}/${callId}`;

export function callsRouter(deps: Pick<AppDependencies, 'calls'>): Router {
  const router = Router();

  const place: RequestHandler = async (req, res) => {
    // An empty body validates as {}, so the client hears which field is missing.
    const input = placeCallBody.parse(req.body ?? {});
    const call = await deps.calls.place(requestContextOf(res), input);
    addToLogContext({ callId: call.callId });
    // Outside its calling hours with schedule "next_window": accepted, placed when they open.
    res.status(call.status === 'SCHEDULED' ? 202 : 201).location(callLocation(call.callId)).json(call.statusCallbackSecret ? { ...callView(call), status_callback_secret: call.statusCallbackSecret } : callView(call));
  };

  router
    .route('/')
    .get(async (req, res) => {
      const query = listCallsQuery.parse(req.query);
      const { tenantId } = requestContextOf(res).principal;
      const { rows, total } = await deps.calls.list(tenantId, query);
      res.json({
        data: rows.map(callView),
        pagination: {
          page: query.page,
          per_page: query.perPage,
          total,
          total_pages: Math.ceil(total / query.perPage),
        },
      });
    })
    .post(place)
    .all(methodNotAllowed(['GET', 'POST']));

  // ZeroVoice's path for the same request.
  router.route('/outbound').post(place).all(methodNotAllowed(['POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const callId = parseCallId(req.params.id);
      const found = await deps.calls.get(requestContextOf(res).principal.tenantId, callId);
      if (!found) throw callNotFound();
      // With billing wired, the call shows its charge and how it was computed (null until charged).
      const charge = found.charge === undefined ? {} : { charge: found.charge ? chargeView(found.charge) : null };
      res.json({ ...callWithTimelineView(found.call, found.timeline), ...charge });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/hangup')
    .post(async (req, res) => {
      const callId = parseCallId(req.params.id);
      const ctx = requestContextOf(res);
      await deps.calls.hangup(ctx, callId);
      const found = await deps.calls.get(ctx.principal.tenantId, callId);
      // The read model may not have caught up with a call placed a moment ago; the hangup
      // was still accepted, so answer with the id alone rather than an error.
      res.status(202).json(found ? callView(found.call) : { id: callId });
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
