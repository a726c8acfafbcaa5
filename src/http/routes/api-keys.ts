import { Router } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import type { ApiKeysPort, Role } from '../front-door.ts';
import { forbidden, roleOf } from '../auth/policy.ts';
import { newApiKeyBody, parseId } from '../schemas/front-door.ts';
import { apiKeyView } from '../views/front-door.ts';

/**
 * /api/v1/api-keys: owners and admins issue, list and revoke their account's keys. The secret is
 * in the 201 answer only; afterwards a key shows its prefix. A key acts with the role it was given
 * (default developer), never above its issuer's.
 */

export const API_KEYS_PATH = '/api/v1/api-keys';

const RANK: Readonly<Record<Role, number>> = { developer: 0, admin: 1, owner: 2 };

export const keyNotFound = () => new NotFoundError('API_KEY_NOT_FOUND', 'API key not found');

export function apiKeysRouter(keys: ApiKeysPort): Router {
  const router = Router();

  router
    .route('/')
    .get(async (_req, res) => {
      const list = await keys.list(requestContextOf(res).principal.tenantId);
      res.json({ data: list.map(apiKeyView) });
    })
    .post(async (req, res) => {
      const body = newApiKeyBody.parse(req.body ?? {});
      const ctx = requestContextOf(res);
      const role = body.role ?? 'developer';
      if (RANK[role] > RANK[roleOf(ctx.principal)]) throw forbidden(`A ${roleOf(ctx.principal)} cannot issue a key with the ${role} role.`);
      const issued = await keys.issue(ctx, { name: body.name, mode: body.mode, scopes: body.scopes, role });
      res.status(201).location(`${API_KEYS_PATH}/${issued.key.keyId}`).json({ ...apiKeyView(issued.key), key: issued.secret });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const key = await keys.get(requestContextOf(res).principal.tenantId, parseId(req.params.id, keyNotFound));
      if (!key) throw keyNotFound();
      res.json(apiKeyView(key));
    })
    .delete(async (req, res) => {
      const revoked = await keys.revoke(requestContextOf(res), parseId(req.params.id, keyNotFound));
      res.json(apiKeyView(revoked));
    })
    .all(methodNotAllowed(['GET', 'DELETE']));

  return router;
}
