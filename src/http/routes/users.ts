import { Router } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import type { UsersPort } from '../front-door.ts';
import { forbidden, roleOf } from '../auth/policy.ts';
import { newUserBody, parseId, userChangeBody } from '../schemas/front-door.ts';
import { userView } from '../views/front-door.ts';

/**
 * /api/v1/users: owners and admins manage the people of their account (only owners touch the owner
 * role; the last owner stays). Anyone may change their own password. Password hashes never leave.
 */

export const USERS_PATH = '/api/v1/users';

export const userNotFound = () => new NotFoundError('USER_NOT_FOUND', 'User not found');

export function usersRouter(users: UsersPort): Router {
  const router = Router();

  router
    .route('/')
    .get(async (_req, res) => {
      const list = await users.list(requestContextOf(res).principal.tenantId);
      res.json({ data: list.map(userView) });
    })
    .post(async (req, res) => {
      const body = newUserBody.parse(req.body ?? {});
      const user = await users.add(requestContextOf(res), body);
      res.status(201).location(`${USERS_PATH}/${user.userId}`).json(userView(user));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const user = await users.get(requestContextOf(res).principal.tenantId, parseId(req.params.id, userNotFound));
      if (!user) throw userNotFound();
      res.json(userView(user));
    })
    .patch(async (req, res) => {
      const userId = parseId(req.params.id, userNotFound);
      const body = userChangeBody.parse(req.body ?? {});
      const ctx = requestContextOf(res);
      const manager = roleOf(ctx.principal) !== 'developer';
      if (!manager && (userId !== ctx.principal.userId || body.role !== undefined)) {
        throw forbidden('A developer can only change their own password.');
      }
      const user = await users.update(ctx, userId, {
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(body.password === undefined ? {} : { password: body.password }),
      });
      res.json(userView(user));
    })
    .delete(async (req, res) => {
      await users.remove(requestContextOf(res), parseId(req.params.id, userNotFound));
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));

  return router;
}
