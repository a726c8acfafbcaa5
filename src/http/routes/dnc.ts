import { Router, type Request, type Response } from 'express';
import { jsonBody } from '../body.ts';
import { requestContextOf } from '../context.ts';
import { receiveCsvUpload } from '../csv-upload.ts';
import type { DncDependencies } from '../dnc-dependencies.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { operatorContextOf, requireOperatorKey } from '../operator-auth.ts';
import { addDncBody, DNC_IMPORT_FIELDS, dncReadQuery, removeDncInput } from '../schemas/dnc.ts';
import { pagination } from '../views/contacts.ts';
import { dncCheckView, dncEntryView, dncImportView, tenantDncEntryView } from '../views/dnc.ts';

/**
 * /api/v1/compliance/dnc: the tenant's do-not-call list (ZeroVoice's check and list, plus add,
 * remove and CSV import). /api/v1/operator/dnc: the operator-wide list, with the operator key.
 * A tenant sees its own entries, and the operator's only through a check of one number.
 */

export const DNC_PATH = '/api/v1/compliance/dnc';
export const OPERATOR_DNC_PATH = '/api/v1/operator/dnc';

function featureOf(deps: { dnc?: DncDependencies }): DncDependencies {
  if (!deps.dnc) throw new HttpError(404, 'NOT_FOUND', 'Do-not-call lists are not enabled');
  return deps.dnc;
}

const removalOf = (req: Request) => ({ phone: String(req.params.phone), reason: removeDncInput.parse({ body: req.body ?? undefined, query: req.query }) });

async function upload(dnc: DncDependencies, req: Request) {
  const received = await receiveCsvUpload(req, { maxFileBytes: dnc.maxImportBytes, fields: DNC_IMPORT_FIELDS });
  const reason = received.fields.reason?.trim().slice(0, 500) || null;
  return { file: received.file, reason };
}

export function dncRouter(deps: { dnc?: DncDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .get(async (req, res) => {
      const dnc = featureOf(deps);
      const query = dncReadQuery.parse(req.query);
      const ctx = requestContextOf(res);
      if (query.phone !== null) {
        const { phone, listing } = await dnc.check(ctx, query.phone);
        res.json(dncCheckView(phone, listing));
        return;
      }
      const { rows, total } = await dnc.list(ctx.principal.tenantId, query);
      res.json({ data: rows.map(tenantDncEntryView), pagination: pagination(query.page, query.perPage, total) });
    })
    .post(async (req, res) => {
      const dnc = featureOf(deps);
      const entry = await dnc.add(requestContextOf(res), addDncBody.parse(req.body ?? {}));
      res.status(201).json(dncEntryView(entry));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/import')
    .post(async (req, res) => {
      const dnc = featureOf(deps);
      const { file, reason } = await upload(dnc, req);
      res.status(201).json(dncImportView(await dnc.importCsv(requestContextOf(res), file, reason)));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/:phone')
    .delete(async (req, res) => {
      await featureOf(deps).remove(requestContextOf(res), removalOf(req));
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE']));

  return router;
}

/** Mounted before API-key authentication: these routes take the operator key instead. */
export function operatorDncRouter(dnc: DncDependencies): Router {
  const router = Router();
  const operator = [requireOperatorKey(dnc), ...jsonBody()];
  const ctxOf = (res: Response) => operatorContextOf(res);

  router
    .route('/')
    .get(...operator, async (req, res) => {
      const query = dncReadQuery.parse(req.query);
      if (query.phone !== null) {
        const { phone, listing } = await dnc.operator.check(ctxOf(res), query.phone);
        res.json(dncCheckView(phone, listing));
        return;
      }
      const { rows, total } = await dnc.operator.list(query);
      res.json({ data: rows.map(dncEntryView), pagination: pagination(query.page, query.perPage, total) });
    })
    .post(...operator, async (req, res) => {
      const entry = await dnc.operator.add(ctxOf(res), addDncBody.parse(req.body ?? {}));
      res.status(201).json(dncEntryView(entry));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/import')
    // The upload is read by receiveCsvUpload, not the JSON parser.
    .post(requireOperatorKey(dnc), async (req, res) => {
      const { file, reason } = await upload(dnc, req);
      res.status(201).json(dncImportView(await dnc.operator.importCsv(ctxOf(res), file, reason)));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/:phone')
    .delete(...operator, async (req, res) => {
      await dnc.operator.remove(ctxOf(res), removalOf(req));
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE']));

  return router;
}
