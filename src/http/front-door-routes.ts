import type express from 'express';
import type { RequestHandler } from 'express';
import type { AppDependencies } from './dependencies.ts';
import { authorize } from './auth/policy.ts';
import { jsonBody } from './body.ts';
import { idempotency } from './idempotency/middleware.ts';
import { rateLimit } from './rate-limit/middleware.ts';
import { ACCOUNTS_PATH, accountsRouter } from './routes/accounts.ts';
import { API_KEYS_PATH, apiKeysRouter } from './routes/api-keys.ts';
import { AUTH_PATH, authRouter } from './routes/auth.ts';
import { USERS_PATH, usersRouter } from './routes/users.ts';

/**
 * The front door's pieces, in the order createApp mounts them:
 * 1. `publicRoutes` — login/refresh/logout, before authentication;
 * 2. `afterAuthentication` — rate limits (so every authenticated answer carries the headers), then
 *    scope/role checks;
 * 3. `afterBody` — Idempotency-Key on POST (it fingerprints the parsed body);
 * 4. `resourceRoutes` — /api-keys, /users, /accounts.
 */

export function mountPublicRoutes(app: express.Express, deps: AppDependencies): void {
  const sessions = deps.frontDoor?.sessions;
  if (sessions) app.use(AUTH_PATH, jsonBody(), authRouter(sessions));
}

export function afterAuthentication(deps: AppDependencies): RequestHandler[] {
  const limits = deps.frontDoor?.rateLimits;
  return [...(limits ? [rateLimit(limits)] : []), authorize()];
}

export function afterBody(deps: AppDependencies): RequestHandler[] {
  const store = deps.frontDoor?.idempotency;
  if (!store) return [];
  const waitMs = deps.frontDoor?.idempotencyWaitMs;
  return [idempotency({ store, ...(waitMs === undefined ? {} : { waitMs }), ...(deps.logger ? { logger: deps.logger } : {}) })];
}

export function mountResourceRoutes(app: express.Express, deps: AppDependencies): void {
  const frontDoor = deps.frontDoor ?? {};
  if (frontDoor.apiKeys) app.use(API_KEYS_PATH, apiKeysRouter(frontDoor.apiKeys));
  if (frontDoor.users) app.use(USERS_PATH, usersRouter(frontDoor.users));
  if (frontDoor.accounts) app.use(ACCOUNTS_PATH, accountsRouter(frontDoor.accounts));
}
