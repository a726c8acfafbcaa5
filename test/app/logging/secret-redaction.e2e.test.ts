import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { consoleLogger, redact } from '../../../src/app/logger.ts';
import { waitForCall } from '../../e2e/support/engine.ts';
import { bearer, createTenant, JWT_SECRET, startFrontDoorEngine, type FrontDoorEngine } from '../../e2e/front-door/support.ts';

/**
 * The engine's JSON logs over a full e2e flow — an operator opening a tenant, logins, refreshes,
 * keys issued and used, users, calls placed with each kind of credential, bad credentials —
 * captured and searched for every key, password and token the flow used. None may appear.
 */

const lines: string[] = [];
const capture = { write: (line: string) => void lines.push(line) };
const OWNER_PASSWORD = 'owner pass phrase 9f3a';
const USER_PASSWORD = 'developer pass phrase 77c1';

describe('logs of an e2e flow', () => {
  let running: FrontDoorEngine;
  const secrets: string[] = [OWNER_PASSWORD, USER_PASSWORD, JWT_SECRET];

  beforeAll(async () => {
    running = await startFrontDoorEngine(await openDatabase({}), {}, consoleLogger({ level: 'debug', destination: capture }));
    secrets.push(running.operatorKey, running.apiKey);
    const app = running.engine.app;
    const tenant = await createTenant(running, 'Logged Tenant', { email: 'owner@logged.example', password: OWNER_PASSWORD });
    secrets.push(tenant.ownerKey);

    const login = await request(app).post('/api/v1/auth/login').send({ email: 'owner@logged.example', password: OWNER_PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    secrets.push(login.body.access_token, login.body.refresh_token);
    expect((await request(app).post('/api/v1/auth/login').send({ email: 'owner@logged.example', password: `${OWNER_PASSWORD}-wrong` })).status).toBe(401);
    secrets.push(`${OWNER_PASSWORD}-wrong`);

    const refreshed = await request(app).post('/api/v1/auth/refresh').send({ refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);
    // A spent refresh token presented again (the family is revoked: logged as a security event, if at all).
    expect((await request(app).post('/api/v1/auth/refresh').send({ refresh_token: login.body.refresh_token })).status).toBe(401);

    const key = await request(app).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'ci', mode: 'live' });
    expect(key.status).toBe(201);
    secrets.push(key.body.key);
    const user = await request(app).post('/api/v1/users').set(bearer(tenant.ownerKey)).send({ email: 'dev@logged.example', password: USER_PASSWORD, role: 'developer' });
    expect(user.status).toBe(201);

    const byKey = await request(app).post('/api/v1/calls').set('X-API-Key', key.body.key).send({ phone_number: '03001230486' });
    const byToken = await request(app).post('/api/v1/calls').set(bearer(refreshed.body.access_token)).send({ phone_number: '03001234567' });
    expect([byKey.status, byToken.status]).toEqual([201, 201]);
    for (const call of [byKey.body, byToken.body]) await waitForCall(running.engine, key.body.key, call.id, (c) => !['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED'].includes(c.status), 30_000);

    // Credentials where they do not belong: in the query string, malformed, revoked.
    expect((await request(app).get(`/api/v1/calls?api_key=${key.body.key}&token=${refreshed.body.access_token}`)).status).toBe(401);
    expect((await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${key.body.key}x`)).status).toBe(401);
    expect((await request(app).delete(`/api/v1/api-keys/${key.body.id}`).set(bearer(tenant.ownerKey))).status).toBe(200);
    expect((await request(app).get('/api/v1/calls').set('X-API-Key', key.body.key)).status).toBe(401);
    expect((await request(app).get('/metrics').set(bearer(running.operatorKey))).status).toBe(200);
    expect((await request(app).post('/api/v1/auth/logout').send({ refresh_token: refreshed.body.refresh_token })).status).toBe(204);
  }, 90_000);
  afterAll(async () => running?.close());

  it('holds none of the keys, passwords or tokens used', () => {
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text.includes(secret), `a secret is in the logs: ${secret.slice(0, 10)}…`).toBe(false);
    }
  });

  it('is JSON lines with a level, and request lines carry request, correlation and call ids', () => {
    const entries = lines.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((line) => JSON.parse(line));
    for (const entry of entries) expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    const requests = entries.filter((entry) => entry.msg === 'request');
    expect(requests.length).toBeGreaterThan(10);
    for (const entry of requests) expect(entry).toMatchObject({ requestId: expect.any(String), correlationId: expect.any(String), status: expect.any(Number) });
    const placed = requests.filter((entry) => entry.method === 'POST' && entry.path === '/api/v1/calls' && entry.status === 201);
    expect(placed).toHaveLength(2);
    for (const entry of placed) expect(entry.callId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the logger', () => {
  it('redacts secret-named fields and secret-looking strings anywhere', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect(redact({ password: 'p', nested: { refresh_token: 'r', authorization: 'Bearer x', note: `key ct_live_abcDEF123 and ${jwt}` }, list: ['ct_op_ZZZ999'], url: '/media/a.wav?token=abc.def' })).toEqual({
      password: '[REDACTED]',
      nested: { refresh_token: '[REDACTED]', authorization: '[REDACTED]', note: 'key [REDACTED] and [REDACTED]' },
      list: ['[REDACTED]'],
      url: '/media/a.wav?token=[REDACTED]',
    });
  });

  it('writes at LOG_LEVEL and above only', () => {
    const out: string[] = [];
    const logger = consoleLogger({ level: 'error', destination: { write: (line: string) => void out.push(line) } });
    logger.info('not written');
    logger.error('written', { api_key: 'ct_test_secret123' });
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 'error', msg: 'written', api_key: '[REDACTED]' });
  });
});
