import { SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../support/databases.ts';
import { waitForCall } from '../support/engine.ts';
import { bearer, createTenant, expectUnauthorized, JWT_SECRET, login, startFrontDoorEngine, type FrontDoorEngine } from './support.ts';

const PASSWORD = 'correct horse battery staple';

async function jwt(claims: Record<string, unknown>, options: { secret?: string; expiresAt?: number; issuer?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(options.issuer ?? 'calltrail')
    .setAudience('calltrail-api')
    .setIssuedAt(now - 3600)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));
}

for (const backend of testDatabases()) {
  describe(`the front door on ${backend.name}: logins, tokens and keys`, () => {
    let running: FrontDoorEngine;
    let tenant: Awaited<ReturnType<typeof createTenant>>;
    const email = 'owner@acme.example';
    const app = () => running.engine.app;

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open());
      tenant = await createTenant(running, 'Acme', { email, password: PASSWORD });
    });
    afterAll(async () => {
      await running?.close();
    });

    it('logs in with email and password and uses the access token as the tenant with its role', async () => {
      const res = await login(running, 'Owner@Acme.example', PASSWORD);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { email, role: 'owner', account_id: tenant.accountId } });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(JSON.stringify(res.body)).not.toContain('scrypt');

      const me = await request(app()).get(`/api/v1/accounts/${tenant.accountId}`).set(bearer(res.body.access_token));
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: tenant.accountId, name: 'Acme' });
      const placed = await request(app()).post('/api/v1/calls').set(bearer(res.body.access_token)).send({ phone_number: '03001234567' });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      // The read model may lag the command by a moment: poll until the call shows.
      const call = await waitForCall(running.engine, res.body.access_token, placed.body.id, (body) => body.timeline?.length > 0);
      expect(call.timeline[0].actor).toBe(`user:${tenant.ownerUserId}`);
    });

    it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
      const first = await login(running, email, PASSWORD);
      const second = await request(app()).post('/api/v1/auth/refresh').send({ refresh_token: first.body.refresh_token });
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.body.refresh_token);

      const reuse = await request(app()).post('/api/v1/auth/refresh').send({ refresh_token: first.body.refresh_token });
      expectUnauthorized(reuse);
      // The thief's reuse also ends the legitimate holder's newer token.
      const afterReuse = await request(app()).post('/api/v1/auth/refresh').send({ refresh_token: second.body.refresh_token });
      expectUnauthorized(afterReuse);
    });

    it('logout ends the refresh token', async () => {
      const session = await login(running, email, PASSWORD);
      const out = await request(app()).post('/api/v1/auth/logout').send({ refresh_token: session.body.refresh_token });
      expect(out.status).toBe(204);
      expectUnauthorized(await request(app()).post('/api/v1/auth/refresh').send({ refresh_token: session.body.refresh_token }));
    });

    describe('refuses every bad token with the same 401', () => {
      const cases: Array<[string, () => Promise<Record<string, string>>]> = [
        ['no credentials', async () => ({})],
        ['a malformed bearer', async () => bearer('not.a.jwt')],
        ['a malformed key', async () => bearer('ct_live_short')],
        ['garbage in X-API-Key', async () => ({ 'X-API-Key': 'eyJhbGciOiJIUzI1NiJ9.e30.xyz' })],
        ['an expired JWT', async () => bearer(await jwt({ tenant: tenant.accountId, role: 'owner', sub: tenant.ownerUserId }, { expiresAt: Math.floor(Date.now() / 1000) - 60 }))],
        ['a JWT signed with another key', async () => bearer(await jwt({ tenant: tenant.accountId, role: 'owner', sub: tenant.ownerUserId }, { secret: 'another-secret-another-secret-another-secret' }))],
        ['a JWT with alg none', async () => bearer(new UnsecuredJWT({ tenant: tenant.accountId, role: 'owner', sub: tenant.ownerUserId }).setIssuer('calltrail').setAudience('calltrail-api').setExpirationTime('10m').encode())],
        ['a JWT from another issuer', async () => bearer(await jwt({ tenant: tenant.accountId, role: 'owner', sub: tenant.ownerUserId }, { issuer: 'someone-else' }))],
        ['a JWT naming a user that does not exist', async () => bearer(await jwt({ tenant: tenant.accountId, role: 'owner', sub: crypto.randomUUID() }))],
        ['a wrong operator key', async () => bearer(`ct_op_${'x'.repeat(40)}`)],
      ];
      it.each(cases)('%s', async (_name, headers) => {
        const res = await request(app()).get('/api/v1/calls').set(await headers());
        expectUnauthorized(res);
      });

      it('a JWT signed correctly but with a tampered payload', async () => {
        const token = (await login(running, email, PASSWORD)).body.access_token as string;
        const [header, , signature] = token.split('.');
        const payload = Buffer.from(JSON.stringify({ tenant: 'someone-else', role: 'owner', sub: tenant.ownerUserId, iss: 'calltrail', aud: 'calltrail-api', exp: 9_999_999_999 })).toString('base64url');
        expectUnauthorized(await request(app()).get('/api/v1/calls').set(bearer(`${header}.${payload}.${signature}`)));
      });

      it('a revoked key, at once', async () => {
        const issued = await request(app()).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'short-lived' });
        expect(issued.status).toBe(201);
        expect((await request(app()).get('/api/v1/calls').set(bearer(issued.body.key))).status).toBe(200);
        const revoked = await request(app()).delete(`/api/v1/api-keys/${issued.body.id}`).set(bearer(tenant.ownerKey));
        expect(revoked.body.status).toBe('revoked');
        expectUnauthorized(await request(app()).get('/api/v1/calls').set(bearer(issued.body.key)));
        expectUnauthorized(await request(app()).get('/api/v1/calls').set('X-API-Key', issued.body.key));
      });

      it('the token of a user removed since login', async () => {
        const dev = await request(app())
          .post('/api/v1/users')
          .set(bearer(tenant.ownerKey))
          .send({ email: 'leaver@acme.example', password: PASSWORD, role: 'developer' });
        expect(dev.status, JSON.stringify(dev.body)).toBe(201);
        const token = (await login(running, 'leaver@acme.example', PASSWORD)).body.access_token;
        expect((await request(app()).get('/api/v1/calls').set(bearer(token))).status).toBe(200);
        expect((await request(app()).delete(`/api/v1/users/${dev.body.id}`).set(bearer(tenant.ownerKey))).status).toBe(204);
        expectUnauthorized(await request(app()).get('/api/v1/calls').set(bearer(token)));
      });
    });

    it('answers a wrong password and an unknown email alike, then throttles both without saying which exists', async () => {
      const wrong = await login(running, email, 'not the password at all', {});
      const unknown = await login(running, 'nobody@acme.example', 'not the password at all');
      expectUnauthorized(wrong);
      expectUnauthorized(unknown);
      expect(wrong.body).toEqual(unknown.body);

      // LOGIN_MAX_FAILURES=3 per email and address: the 3rd failure is the last 401, then 429.
      for (const target of [email, 'nobody@acme.example']) {
        expectUnauthorized(await login(running, target, 'wrong password again'));
        expectUnauthorized(await login(running, target, 'wrong password, the third'));
        const throttled = await login(running, target, 'wrong password, the fourth');
        expect(throttled.status).toBe(429);
        expect(throttled.body.error.code).toBe('RATE_LIMITED');
        expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      }
      // Even the right password waits now, so guessing on cannot find it.
      expect((await login(running, email, PASSWORD)).status).toBe(429);
    });

    it('refuses bad login bodies with 422 and never echoes the password', async () => {
      for (const body of [{}, { email }, { email, password: 7 }, { email, password: PASSWORD, extra: 1 }]) {
        const res = await request(app()).post('/api/v1/auth/login').send(body);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('VALIDATION_ERROR');
        expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
      }
      const notJson = await request(app()).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":');
      expect(notJson.status).toBe(400);
    });

    it('shows a key once, keeps only its prefix, and never shows hashes', async () => {
      const issued = await request(app()).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'ci', mode: 'test', scopes: ['calls:read'] });
      expect(issued.status).toBe(201);
      expect(issued.body.key).toMatch(/^ct_test_[A-Za-z0-9]{40}$/);
      expect(issued.body.key.startsWith(issued.body.prefix)).toBe(true);
      const listed = await request(app()).get('/api/v1/api-keys').set(bearer(tenant.ownerKey));
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(issued.body.key);
      expect(text).not.toMatch(/hash/i);
      expect(listed.body.data.find((k: any) => k.id === issued.body.id)).toMatchObject({ prefix: issued.body.prefix, mode: 'test', scopes: ['calls:read'], role: 'developer' });
      const users = await request(app()).get('/api/v1/users').set(bearer(tenant.ownerKey));
      expect(JSON.stringify(users.body)).not.toMatch(/scrypt|hash/i);
    });

    it('enforces scopes and roles with 403 FORBIDDEN', async () => {
      const readOnly = (await request(app()).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'reader', scopes: ['calls:read'] })).body.key;
      expect((await request(app()).get('/api/v1/calls').set(bearer(readOnly))).status).toBe(200);
      const write = await request(app()).post('/api/v1/calls').set(bearer(readOnly)).send({ phone_number: '03001234567' });
      expect(write.status).toBe(403);
      expect(write.body.error).toMatchObject({ code: 'FORBIDDEN', details: { required: 'calls:write' } });

      const developerKey = (await request(app()).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'dev' })).body.key;
      expect((await request(app()).post('/api/v1/calls').set(bearer(developerKey)).send({ phone_number: '03001234567' })).status).toBe(201);
      for (const [method, path] of [['get', '/api/v1/api-keys'], ['post', '/api/v1/api-keys'], ['get', '/api/v1/users'], ['post', '/api/v1/users']] as const) {
        const res = await request(app())[method](path).set(bearer(developerKey)).send({ name: 'x' });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      // A developer cannot mint an owner key, nor a tenant create tenants.
      const escalate = await request(app()).post('/api/v1/api-keys').set(bearer(developerKey)).send({ name: 'x', role: 'owner' });
      expect(escalate.status).toBe(403);
      const tenantMakesTenant = await request(app())
        .post('/api/v1/accounts')
        .set(bearer(tenant.ownerKey))
        .send({ name: 'Sub', default_country: 'PK', currency: 'PKR', time_zone: 'Asia/Karachi' });
      expect(tenantMakesTenant.status).toBe(403);
      // The operator key manages tenants, not what is inside them.
      expect((await request(app()).get('/api/v1/calls').set(bearer(running.operatorKey))).status).toBe(403);
    });

    it('keeps the last owner, and lets only owners touch the owner role', async () => {
      const admin = await request(app()).post('/api/v1/users').set(bearer(tenant.ownerKey)).send({ email: 'admin@acme.example', password: PASSWORD, role: 'admin' });
      expect(admin.status).toBe(201);
      const adminToken = (await login(running, 'admin@acme.example', PASSWORD)).body.access_token;
      const demote = await request(app()).patch(`/api/v1/users/${tenant.ownerUserId}`).set(bearer(adminToken)).send({ role: 'developer' });
      expect(demote.status).toBe(403);
      const lastOwner = await request(app()).delete(`/api/v1/users/${tenant.ownerUserId}`).set(bearer(tenant.ownerKey));
      expect(lastOwner.status).toBe(409);
      expect(lastOwner.body.error.code).toBe('LAST_OWNER');
      const duplicate = await request(app()).post('/api/v1/users').set(bearer(tenant.ownerKey)).send({ email: 'ADMIN@acme.example', password: PASSWORD });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('USER_EMAIL_TAKEN');
      const weak = await request(app()).post('/api/v1/users').set(bearer(tenant.ownerKey)).send({ email: 'weak@acme.example', password: 'short' });
      expect(weak.status).toBe(422);
    });

    it("puts a test key's call in test mode, shown on the call", async () => {
      const testKey = (await request(app()).post('/api/v1/api-keys').set(bearer(tenant.ownerKey)).send({ name: 'sandbox', mode: 'test' })).body.key;
      const placed = await request(app()).post('/api/v1/calls').set(bearer(testKey)).send({ phone_number: '03001234567' });
      expect(placed.status).toBe(201);
      expect(placed.body.mode).toBe('test');
      const live = await request(app()).post('/api/v1/calls').set(bearer(tenant.ownerKey)).send({ phone_number: '03001234567' });
      expect(live.body.mode).toBe('live');
    });

    it('lets the operator set a plan whose limits apply to the tenant', async () => {
      const res = await request(app())
        .patch(`/api/v1/accounts/${tenant.accountId}`)
        .set(bearer(running.operatorKey))
        .send({ plan: { name: 'gold', general_per_minute: 5000, calls_per_minute: 50 } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.plan).toEqual({ name: 'gold', general_per_minute: 5000, calls_per_minute: 50 });
      const limited = await request(app()).get('/api/v1/calls').set(bearer(tenant.ownerKey));
      expect(limited.headers['x-ratelimit-limit']).toBe('5000');
      const tenantSetsPlan = await request(app()).patch(`/api/v1/accounts/${tenant.accountId}`).set(bearer(tenant.ownerKey)).send({ plan: { name: 'free-upgrade' } });
      expect(tenantSetsPlan.status).toBe(403);
    });
  });
}
