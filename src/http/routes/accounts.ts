import { Router } from 'express';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { requestContextOf } from '../context.ts';
import { methodNotAllowed } from '../errors.ts';
import type { AccountChange, AccountsPort } from '../front-door.ts';
import { forbidden, isOperator, roleOf } from '../auth/policy.ts';
import { accountChangeBody, newAccountBody, parseId, planFrom } from '../schemas/front-door.ts';
import { accountView, apiKeyView, userView } from '../views/front-door.ts';

/**
 * /api/v1/accounts: the operator key creates tenants (sub-tenancy for resellers), lists them and
 * sets their plan and limits. A tenant credential sees only its own account (any other id is 404)
 * and its owners and admins may change its name, default country and time zone.
 */

export const ACCOUNTS_PATH = '/api/v1/accounts';

export const accountNotFound = () => new NotFoundError('ACCOUNT_NOT_FOUND', 'Account not found');

export function accountsRouter(accounts: AccountsPort): Router {
  const router = Router();

  router
    .route('/')
    .get(async (_req, res) => {
      const { principal } = requestContextOf(res);
      const list = isOperator(principal) ? await accounts.list() : [await accounts.get(principal.tenantId)].filter((a) => a !== null);
      res.json({ data: list.map(accountView) });
    })
    .post(async (req, res) => {
      const body = newAccountBody.parse(req.body ?? {});
      const opened = await accounts.open(requestContextOf(res), {
        name: body.name,
        defaultCountry: body.default_country,
        currency: body.currency,
        timeZone: body.time_zone,
        plan: body.plan ? planFrom(body.plan) : null,
        owner: body.owner ?? null,
      });
      res
        .status(201)
        .location(`${ACCOUNTS_PATH}/${opened.account.accountId}`)
        .json({
          ...accountView(opened.account),
          api_key: { ...apiKeyView(opened.key), key: opened.secret },
          owner: opened.owner ? userView(opened.owner) : null,
        });
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/:id')
    .get(async (req, res) => {
      const accountId = visibleAccount(req.params.id, res);
      const account = await accounts.get(accountId);
      if (!account) throw accountNotFound();
      res.json(accountView(account));
    })
    .patch(async (req, res) => {
      const accountId = visibleAccount(req.params.id, res);
      const body = accountChangeBody.parse(req.body ?? {});
      const ctx = requestContextOf(res);
      if (!isOperator(ctx.principal)) {
        if (body.plan !== undefined) throw forbidden('Only the operator sets plans and limits.');
        if (roleOf(ctx.principal) === 'developer') throw forbidden('The developer role cannot change the account.');
      }
      const change: AccountChange = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.default_country === undefined ? {} : { defaultCountry: body.default_country }),
        ...(body.time_zone === undefined ? {} : { timeZone: body.time_zone }),
        ...(body.max_call_duration_seconds === undefined ? {} : { maxCallDurationSeconds: body.max_call_duration_seconds }),
        ...(body.calling_hours === undefined ? {} : { callingHours: body.calling_hours }),
        ...(body.plan === undefined ? {} : { plan: planFrom(body.plan) }),
      };
      res.json(accountView(await accounts.update(ctx, accountId, change)));
    })
    .all(methodNotAllowed(['GET', 'PATCH']));

  return router;
}

/** The operator sees every account; a tenant only its own, and any other id reads as missing. */
function visibleAccount(raw: unknown, res: Parameters<typeof requestContextOf>[0]): string {
  const accountId = parseId(raw, accountNotFound);
  const { principal } = requestContextOf(res);
  if (!isOperator(principal) && principal.tenantId !== accountId) throw accountNotFound();
  return accountId;
}
