import { Router, type Request, type Response } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { ContactsDependencies } from '../contacts-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { receiveCsvUpload } from '../csv-upload.ts';
import { validation } from '../multipart.ts';
import { isDryRun } from '../schemas/dry-run.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { createContactBody, listContactsQuery, pageQuery, updateContactBody } from '../schemas/contacts.ts';
import { callView } from '../views/call.ts';
import { contactView, importReportView, pagination } from '../views/contacts.ts';

/**
 * /api/v1/contacts: ZeroVoice's and OutboundCalls.ai's contacts. Writes are commands to the
 * tenant's address book; reads come from the contacts read model, scoped to the caller's tenant.
 */

export const CONTACTS_PATH = '/api/v1/contacts';

const contactNotFound = () => new NotFoundError('CONTACT_NOT_FOUND', 'No contact with this id exists in your account.');

export function contactsFeatureOf(deps: { contacts?: ContactsDependencies }): ContactsDependencies {
  if (!deps.contacts) throw new HttpError(404, 'NOT_FOUND', 'Contacts are not enabled');
  return deps.contacts;
}

/** The upload fields naming a list, as either seed spells them. */
export const LIST_FIELDS = ['list_id', 'contact_list_id'] as const;

/** Reads the CSV upload and imports it; `listId` is already known to be the tenant's, or null. */
export async function importUpload(contacts: ContactsDependencies, req: Request, res: Response, listId: string | null): Promise<void> {
  const dryRun = isDryRun(req);
  const upload = await receiveCsvUpload(req, { maxFileBytes: contacts.maxImportBytes, fields: LIST_FIELDS });
  const ctx = requestContextOf(res);
  const named = upload.fields.list_id ?? upload.fields.contact_list_id ?? null;
  if (listId !== null && named !== null && named.toLowerCase() !== listId) {
    throw validation('list_id', 'Names another list than the path');
  }
  if (dryRun) {
    res.status(200).json({ dry_run: true, ...importReportView(await contacts.previewCsv(ctx, upload.file, listId ?? named)) });
    return;
  }
  const report = await contacts.importCsv(ctx, upload.file, listId ?? named);
  res.status(201).json(importReportView(report));
}

export function contactsRouter(deps: { contacts?: ContactsDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .post(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      const fields = createContactBody.parse(req.body ?? {});
      const contact = await contacts.create(requestContextOf(res), fields);
      res.status(201).location(`${CONTACTS_PATH}/${contact.contactId}`).json(contactView(contact));
    })
    .get(async (req, res) => {
      const query = listContactsQuery.parse(req.query);
      const { rows, total } = await contactsFeatureOf(deps).list(requestContextOf(res).principal.tenantId, query);
      res.json({ data: rows.map(contactView), pagination: pagination(query.page, query.perPage, total) });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/import')
    .post(async (req, res) => importUpload(contactsFeatureOf(deps), req, res, null))
    .all(methodNotAllowed(['POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const found = await contactsFeatureOf(deps).get(requestContextOf(res).principal.tenantId, req.params.id);
      if (!found) throw contactNotFound();
      res.json(contactView(found));
    })
    .patch(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      const changes = updateContactBody.parse(req.body ?? {});
      res.json(contactView(await contacts.update(requestContextOf(res), req.params.id, changes)));
    })
    .delete(async (req, res) => {
      await contactsFeatureOf(deps).delete(requestContextOf(res), req.params.id);
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));

  router
    .route('/:id/calls')
    .get(async (req, res) => {
      const page = pageQuery.parse(req.query);
      const found = await contactsFeatureOf(deps).callsOf(requestContextOf(res).principal.tenantId, req.params.id, page);
      if (!found) throw contactNotFound();
      res.json({ data: found.rows.map(callView), pagination: pagination(page.page, page.perPage, found.total) });
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
