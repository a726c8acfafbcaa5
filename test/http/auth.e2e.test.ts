import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type express from 'express';
import { createApp } from '../../src/http/app.ts';
import { fakeDependencies, TENANT_A, TOKEN_A, type Fakes } from './support/fake-dependencies.ts';

let fakes: Fakes;
let app: express.Express;

beforeEach(() => {
  fakes = fakeDependencies();
  app = createApp(fakes.deps);
});

const REVOKED = 'ct_live_revoked_00000000000000';

/** Every refusal must look the same, so the body cannot tell a caller what was wrong. */
function expectUniformRefusal(res: request.Response): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
  expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'A valid API key or access token is required', details: {} } });
}

describe('authentication', () => {
  it('lets a known Bearer key through as its tenant', async () => {
    fakes.calls.seed(TENANT_A);

    const res = await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`);

    expect(res.status).toBe(200);
    expect(res.body.pagination.total).toBe(1);
  });

  it('accepts the key in X-API-Key', async () => {
    const res = await request(app).post('/api/v1/calls').set('X-API-Key', TOKEN_A).send({ phone_number: '+4915112345678' });

    expect(res.status).toBe(201);
    expect(fakes.calls.placed[0]?.ctx.principal).toMatchObject({ tenantId: TENANT_A, actor: 'apikey:key_a' });
  });

  it.each([
    ['no credentials', {}],
    ['an empty Bearer', { Authorization: 'Bearer ' }],
    ['Basic instead of Bearer', { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['a three-part Authorization header', { Authorization: `Bearer ${TOKEN_A} extra` }],
    ['an unknown key', { Authorization: 'Bearer ct_live_unknown_1234567890' }],
    ['a revoked key', { Authorization: `Bearer ${REVOKED}` }],
    ['an unknown X-API-Key', { 'X-API-Key': 'ct_live_unknown_1234567890' }],
    ['a revoked X-API-Key', { 'X-API-Key': REVOKED }],
    ['an implausible key', { 'X-API-Key': 'short' }],
    ['a key with spaces inside', { 'X-API-Key': `${TOKEN_A} ${TOKEN_A}` }],
    ['both headers at once', { Authorization: `Bearer ${TOKEN_A}`, 'X-API-Key': TOKEN_A }],
  ])('refuses %s with the same 401', async (_name, headers: Record<string, string>) => {
    fakes.keys.issue(REVOKED, { tenantId: TENANT_A });
    fakes.keys.revoke(REVOKED);

    const res = await request(app).get('/api/v1/calls').set(headers);

    expectUniformRefusal(res);
  });

  it('refuses a key in the query string, even a valid one', async () => {
    const res = await request(app).get(`/api/v1/calls?access_token=${TOKEN_A}`);

    expectUniformRefusal(res);
  });

  it('refuses before reading the body', async () => {
    const res = await request(app).post('/api/v1/calls').set('Content-Type', 'application/json').send('{not json');

    expectUniformRefusal(res);
    expect(fakes.calls.placed).toHaveLength(0);
  });

  it('refuses unknown routes under the API without saying whether they exist', async () => {
    const res = await request(app).get('/api/v1/secret-admin');

    expectUniformRefusal(res);
  });

  it('does not look up implausible keys', async () => {
    await request(app).get('/api/v1/calls').set('X-API-Key', 'a b');

    expect(fakes.keys.lookups).toEqual([]);
  });

  it('never logs a key, valid or not', async () => {
    const wrong = 'ct_live_wrong_key_abcdefghijkl';
    await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`);
    await request(app).get('/api/v1/calls').set('X-API-Key', wrong);
    await request(app).get(`/api/v1/calls?access_token=${wrong}`);
    fakes.calls.failNextWith = new Error('boom');
    await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`);

    expect(fakes.logger.entries.length).toBeGreaterThanOrEqual(4);
    expect(fakes.logger.text()).not.toContain(TOKEN_A);
    expect(fakes.logger.text()).not.toContain(wrong);
  });

  it('reports a key store failure as a server error, not as a wrong key', async () => {
    fakes.deps.authenticate = async () => {
      throw new Error('key store down');
    };
    app = createApp(fakes.deps);

    const res = await request(app).get('/api/v1/calls').set('Authorization', `Bearer ${TOKEN_A}`);

    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL_ERROR');
  });
});
