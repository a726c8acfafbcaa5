import { Router } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { ContactsDependencies } from '../contacts-dependencies.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import { addToListBody, createListBody, pageQuery, removeFromListBody } from '../schemas/contacts.ts';
import { contactListView, contactView, pagination } from '../views/contacts.ts';
import { contactsFeatureOf, importUpload } from './contacts.ts';

/** /api/v1/contact-lists: named lists of contacts, which campaigns dial (`contact_list_id`). */

export const CONTACT_LISTS_PATH = '/api/v1/contact-lists';

const listNotFound = () => new NotFoundError('CONTACT_LIST_NOT_FOUND', 'No contact list with this id exists in your account.');

export function contactListsRouter(deps: { contacts?: ContactsDependencies }): Router {
  const router = Router();

  router
    .route('/')
    .post(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      const list = await contacts.createList(requestContextOf(res), createListBody.parse(req.body ?? {}));
      res.status(201).location(`${CONTACT_LISTS_PATH}/${list.listId}`).json(contactListView(list));
    })
    .get(async (req, res) => {
      const page = pageQuery.parse(req.query);
      const { rows, total } = await contactsFeatureOf(deps).lists(requestContextOf(res).principal.tenantId, page);
      res.json({ data: rows.map(contactListView), pagination: pagination(page.page, page.perPage, total) });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const page = pageQuery.parse(req.query);
      const found = await contactsFeatureOf(deps).getList(requestContextOf(res).principal.tenantId, req.params.id, page);
      if (!found) throw listNotFound();
      res.json({
        ...contactListView(found.list),
        contacts: { data: found.contacts.map(contactView), pagination: pagination(page.page, page.perPage, found.list.contactCount) },
      });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:id/contacts')
    .post(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      const list = await contacts.addToList(requestContextOf(res), req.params.id, addToListBody.parse(req.body ?? {}));
      res.json(contactListView(list));
    })
    .delete(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      const ctx = requestContextOf(res);
      if (!(await contacts.hasList(ctx.principal.tenantId, req.params.id))) throw listNotFound();
      for (const contactId of removeFromListBody.parse(req.body ?? {})) await contacts.removeFromList(ctx, req.params.id, contactId);
      res.status(204).end();
    })
    .all(methodNotAllowed(['POST', 'DELETE']));

  router
    .route('/:id/contacts/:contactId')
    .delete(async (req, res) => {
      await contactsFeatureOf(deps).removeFromList(requestContextOf(res), req.params.id, req.params.contactId);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE']));

  router
    .route('/:id/import')
    .post(async (req, res) => {
      const contacts = contactsFeatureOf(deps);
      // Checked before the upload is read: a foreign list costs no upload, and answers 404.
      if (!(await contacts.hasList(requestContextOf(res).principal.tenantId, req.params.id))) throw listNotFound();
      await importUpload(contacts, req, res, req.params.id.toLowerCase());
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
