import request from 'supertest';
import { expect } from 'vitest';
import { generateOperatorKey } from '../../../src/app/authenticate.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';
import type { Database } from '../../../src/adapters/db/database.ts';
import type { Logger } from '../../../src/http/dependencies.ts';

export const JWT_SECRET = 'test-secret-for-front-door-tests-0123456789';

export type FrontDoorEngine = RunningEngine & { operatorKey: string };

/** The whole engine with a known JWT secret and operator key. */
export async function startFrontDoorEngine(database: Database, env: NodeJS.ProcessEnv = {}, logger?: Logger): Promise<FrontDoorEngine> {
  const operator = generateOperatorKey();
  const running = await startTestEngine(database, {
    env: { JWT_SECRET, OPERATOR_API_KEY_HASH: operator.hash, LOGIN_MAX_FAILURES: '3', ...env },
    ...(logger ? { logger } : {}),
  });
  return { ...running, operatorKey: operator.secret };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A tenant made by the operator, with its owner key and an owner user. */
export async function createTenant(
  running: FrontDoorEngine,
  name: string,
  owner: { email: string; password: string },
): Promise<{ accountId: string; ownerKey: string; ownerUserId: string }> {
  const res = await request(running.engine.app)
    .post('/api/v1/accounts')
    .set(bearer(running.operatorKey))
    .send({ name, default_country: 'PK', currency: 'PKR', time_zone: 'Asia/Karachi', owner: { ...owner, name: 'Owner' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  // Billing prices every call: give the tenant the sandbox's rate plan and deposit, as the demo has.
  await running.engine.billing.setUpSandbox(res.body.id, 'PKR');
  return { accountId: res.body.id, ownerKey: res.body.api_key.key, ownerUserId: res.body.owner.id };
}

export async function login(running: FrontDoorEngine, email: string, password: string, extra: Record<string, string> = {}) {
  return request(running.engine.app).post('/api/v1/auth/login').send({ email, password, ...extra });
}

/** The one 401 every refused credential gets. */
export function expectUnauthorized(res: request.Response): void {
  expect(res.status, JSON.stringify(res.body)).toBe(401);
  expect(res.body.error.code).toBe('UNAUTHORIZED');
  expect(res.body.error).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String), details: {} });
}
